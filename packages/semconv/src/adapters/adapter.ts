import type { ActionDraft } from '../draft.js';
import type { Convention } from '../types.js';

/** Reads one convention. Returns whether the convention is present on the span. */
export interface ConventionAdapter {
  readonly convention: Convention;
  read(draft: ActionDraft): boolean;
}
