// Stylesheets imported as text, inlined into the widget's shadow root by the build.
declare module '*.css?inline' {
  const css: string;
  export default css;
}
