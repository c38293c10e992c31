// babel-preset-taro: React + TypeScript, as `taro init` would write it.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
}
