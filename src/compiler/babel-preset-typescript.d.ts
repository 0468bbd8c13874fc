// @babel/preset-typescript ships no types; the compiler only passes it to Babel as a preset.
declare module '@babel/preset-typescript' {
  const preset: object;
  export default preset;
}
