// Last in precedence: general OpenTelemetry names (user.id, session.id, error.type) and the
// classification of identity-carrying spans that no AI convention classified (HTTP, DB, other).
import * as S from '../attributes/general.js';
import { F, type ActionDraft } from '../draft.js';
import type { ConventionAdapter } from './adapter.js';

export const genericAdapter: ConventionAdapter = {
  convention: 'generic',
  read(d: ActionDraft): boolean {
    const a = d.attributes;
    if (d.take(F.PRINCIPAL_ID, a[S.ATTR_USER_ID], S.ATTR_USER_ID)) d.put(F.PRINCIPAL_TYPE, 'user');
    d.take(F.SESSION_SESSION_ID, a[S.ATTR_SESSION_ID], S.ATTR_SESSION_ID);
    d.take(F.ERROR_TYPE, a[S.ATTR_ERROR_TYPE], S.ATTR_ERROR_TYPE);
    if (d.operation === null && d.spanHasIdentity) {
      if (a[S.ATTR_HTTP_REQUEST_METHOD] !== undefined || a[S.ATTR_HTTP_METHOD] !== undefined) d.classify('http', 'generic');
      else if (a[S.ATTR_DB_SYSTEM_NAME] !== undefined || a[S.ATTR_DB_SYSTEM] !== undefined || a[S.ATTR_DB_QUERY_TEXT] !== undefined) d.classify('db', 'generic');
      else d.classify('other', 'generic');
    }
    return false;
  },
};
