// A scheduled report can be delivered anonymized (`report schedule add --anonymize`): the
// request is kept as JSON ({ salt?, keepGroups?, keepTags? }); NULL is a plain report. With a
// salt every delivery uses the same pseudonyms, so weekly reports can be compared; without one
// each delivery draws a fresh salt.
export default /* sql */ `
ALTER TABLE report_schedules ADD COLUMN anonymize TEXT;
`
