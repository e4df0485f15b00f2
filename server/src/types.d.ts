declare module '*.yaml' {
  const data: unknown;
  export default data;
}
/** Every YAML file of a server/knowledge folder, concatenated (see scripts/knowledge-tools.mjs). */
declare module 'knowledge-data:*' {
  const data: unknown[];
  export default data;
}
