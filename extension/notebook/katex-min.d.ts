/** katex's minified build has the same API as its main entry (which has the types). */
declare module "katex/dist/katex.min.js" {
  import katex from "katex";
  export default katex;
}
