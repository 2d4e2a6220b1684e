/** Instrumentation scope name and version of the spans this package creates. */
export const INSTRUMENTATION_NAME = '@agentrail/instrumentation';
export const INSTRUMENTATION_VERSION = '0.1.0';
