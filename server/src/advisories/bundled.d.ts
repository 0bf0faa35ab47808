declare module 'pinwatch:advisories' {
  const records: unknown[];
  export default records;
}
