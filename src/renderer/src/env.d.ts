/// <reference types="vite/client" />
/// <reference path="../../preload/index.d.ts" />
declare module 'plotly.js-gl3d-dist-min' {
  import Plotly from 'plotly.js'
  export default Plotly
}
