/** An agent identity or principal passed to `withAgent` / `onBehalfOf` is malformed. */
export class InvalidIdentityError extends Error {
  readonly code = 'ERR_AGENTRAIL_INVALID_IDENTITY' as const;
  override readonly name = 'InvalidIdentityError';
}

/** A decision passed to `recordAuthorization` / `recordApproval` is malformed. */
export class InvalidDecisionError extends Error {
  readonly code = 'ERR_AGENTRAIL_INVALID_DECISION' as const;
  override readonly name = 'InvalidDecisionError';
}

/** `traceTool` was called with a bad name, function or option. */
export class InvalidToolError extends Error {
  readonly code = 'ERR_AGENTRAIL_INVALID_TOOL' as const;
  override readonly name = 'InvalidToolError';
}
