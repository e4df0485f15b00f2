declare module '*.yaml' {
  const data: unknown;
  export default data;
}
declare module '*.yml' {
  const data: unknown;
  export default data;
}
/** Every YAML file of a server/knowledge folder, concatenated (see scripts/knowledge-tools.mjs). */
declare module 'knowledge-data:*' {
  const data: unknown[];
  export default data;
}
/** Every snippets/*.json file (see scripts/knowledge-tools.mjs). */
declare module 'snippet-data:all' {
  const files: { file: string; snippets: Record<string, { prefix: string | string[]; body: string | string[]; description?: string }> }[];
  export default files;
}
