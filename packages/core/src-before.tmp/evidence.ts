// Evidence store: salt and payload behind each commitment, keyed by record id, kept apart from
// the ledger. Erasing a record's evidence leaves the ledger and every proof valid; without the
// salt the commitment can no longer be linked to any content.
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { EvidenceStoreError } from './errors.js';
import type { EvidenceItem, RecordEvidence } from './to-record.js';

export interface EvidenceStore {
  /** Store durably; resolves once the evidence survives a crash. */
  put(evidence: readonly RecordEvidence[]): Promise<void>;
  /** The evidence of one record, or null when there is none (never stored or erased). */
  get(recordId: string): Promise<RecordEvidence | null>;
  /** Delete a record's salt and payload for good. Resolves true when something was erased. */
  erase(recordId: string): Promise<boolean>;
}

const RECORD_ID = /^[0-9a-f]{32}$/;

function checkId(recordId: string): void {
  // ids become file names: accept only what toAuditRecord produces
  if (!RECORD_ID.test(recordId)) throw new EvidenceStoreError(`Invalid record id ${JSON.stringify(recordId)}: expected 32 lowercase hex digits.`);
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * A directory of JSON files, `<dir>/<id[0..2]>/<id>.json`, each written to a temp file, fsynced
 * and renamed into place.
 */
export function createFileEvidenceStore(dir: string): EvidenceStore {
  const pathOf = (id: string): { sub: string; file: string } => {
    const sub = join(dir, id.slice(0, 2));
    return { sub, file: join(sub, `${id}.json`) };
  };

  async function putOne(ev: RecordEvidence): Promise<string> {
    checkId(ev.recordId);
    const { sub, file } = pathOf(ev.recordId);
    await mkdir(sub, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify({ recordId: ev.recordId, items: ev.items }));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    return sub;
  }

  return {
    async put(evidence) {
      if (evidence.length === 0) return;
      const dirs = new Set(await Promise.all(evidence.map(putOne)));
      await Promise.all([...dirs].map(fsyncDir));
    },
    async get(recordId) {
      checkId(recordId);
      let text: string;
      try {
        text = await readFile(pathOf(recordId).file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      const parsed = JSON.parse(text) as { recordId: string; items: EvidenceItem[] };
      return { recordId: parsed.recordId, items: parsed.items };
    },
    async erase(recordId) {
      checkId(recordId);
      const { sub, file } = pathOf(recordId);
      try {
        await unlink(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
      await fsyncDir(sub);
      return true;
    },
  };
}

