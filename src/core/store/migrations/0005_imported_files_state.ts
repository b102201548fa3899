// A re-import of a folder first asks which of its files changed (size, mtime, content policy).
// Scanning imported_files for that read every row's resume state too (kilobytes per transcript,
// in overflow pages): this covering index answers from a few small pages, so a re-import of
// 10k unchanged transcripts reads well under a megabyte of the store instead of tens.
export default /* sql */ `
CREATE INDEX imported_files_state ON imported_files(path, size, mtime_ms, content_policy);
`
