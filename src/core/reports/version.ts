// Bumped when the analysis or the report builders change what a report says: part of the
// cache key, so a cached report is never served after an upgrade that would change it.
export const ANALYSIS_VERSION = 1
export const REPORT_BUILDER_VERSION = 1
