// The last bytes an import read of a file, hashed (`<length>:<sha1>`): with the head's hash,
// what tells a file that grew from one rewritten or truncated and regrown since, which must be
// read again whole (ingest/continuity.ts). Null where the file was streamed, not read at once.
export default /* sql */ `
ALTER TABLE imported_files ADD COLUMN tail_hash TEXT;
`
