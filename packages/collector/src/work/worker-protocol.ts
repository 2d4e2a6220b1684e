// Messages between the main thread and consume workers.
import type { AuthenticatedIdentity } from '@agentrail/core';
import type { BatchOutcome, BatchPart } from './process-batch.js';
import type { OtlpFormat } from '../decode/otlp-response.js';
import type { SpanLimits } from '../decode/to-neutral.js';
import type { CollectorConfig } from '../config.js';

export interface WorkerInit {
  identity: 'flag' | 'reject';
  /** The collector config's redaction section (plain data; compiled in the worker). */
  redaction?: CollectorConfig['redaction'];
  limits: SpanLimits;
  forward: boolean;
}

export type ToWorker =
  | { type: 'consume'; id: number; body: Uint8Array; format: OtlpFormat; authenticated: AuthenticatedIdentity | null; part?: BatchPart }
  | { type: 'appended'; id: number; firstIndex: number; error?: undefined }
  | { type: 'appended'; id: number; firstIndex?: undefined; error: { message: string; code?: string } };

export type ToMain =
  | { type: 'ready' }
  /**
   * Entries end at `ends`; with `leafHashes`, their 32-byte leaf hashes follow in `buf`. `batch`:
   * the consume message being processed when the append was made (a slice of a split request
   * is appended together with the other slices).
   */
  | { type: 'append'; id: number; buf: Uint8Array; ends: number[]; leafHashes: boolean; batch?: number }
  | { type: 'done'; id: number; outcome: BatchOutcome };
