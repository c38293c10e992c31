import { defineConfig } from '@tarojs/cli'

// One codebase, two targets: `weapp` (the package uploaded with WeChat's developer tools) and `h5`
// (the same pages in a browser, served by the API at /app in Development and used by the tests).
export default defineConfig<'webpack5'>(() => ({
  projectName: 'photoreceipt',
  date: '2026-11-29',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: `dist/${process.env.TARO_ENV}`,
  plugins: [],
  // The weapp build talks to the API over HTTPS (a domain listed in the mini-program console);
  // h5 is served by the API itself and calls it on the same origin.
  defineConstants: { API_BASE_URL: JSON.stringify(process.env.PHOTORECEIPT_API_BASE_URL ?? 'https://api.example.com') },
  // tabBar icons are referenced by path from app.json, so they are copied, not bundled.
  copy: { patterns: [{ from: 'src/assets/', to: `dist/${process.env.TARO_ENV}/assets/` }], options: {} },
  framework: 'react',
  compiler: { type: 'webpack5', prebundle: { enable: false } },
  cache: { enable: false },
  logger: { quiet: true, stats: false },
  mini: {
    postcss: {
      pxtransform: { enable: true, config: {} },
      cssModules: { enable: false },
    },
  },
  h5: {
    // Served under /app by the API; hash routing keeps every page on the one index.html.
    publicPath: '/app/',
    staticDirectory: 'static',
    router: { mode: 'hash' },
    output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
    miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[contenthash:8].css' },
    postcss: {
      autoprefixer: { enable: true, config: {} },
      cssModules: { enable: false },
    },
  },
}))
