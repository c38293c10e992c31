// Checks the weapp package WeChat's tools upload (run after `taro build --type weapp`): every page
// is in app.json with its own config, and the privacy and customer-service wiring survived the build.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const dist = join(__dirname, '..', 'dist', 'weapp')
const built = existsSync(join(dist, 'app.json'))
const read = (p: string) => readFileSync(join(dist, p), 'utf8')

const PAGES: Record<string, string> = {
  'pages/index/index': '证件照回执',
  'pages/guide/index': '拍摄指引',
  'pages/shoot/index': '拍照上传',
  'pages/result/index': '检测结果',
  'pages/apply/index': '填写申请信息',
  'pages/pay/index': '确认支付',
  'pages/orders/index': '我的订单',
  'pages/order/index': '订单详情',
  'pages/about/index': '关于与隐私',
}

describe.runIf(built || process.env.CI)('weapp build', () => {
  it('lists every page and the tab bar in app.json, with the privacy check on', () => {
    const app = JSON.parse(read('app.json'))
    expect(app.pages).toEqual(Object.keys(PAGES))
    expect(app.__usePrivacyCheck__).toBe(true)
    expect(app.tabBar.list.map((t: { pagePath: string }) => t.pagePath)).toEqual(['pages/index/index', 'pages/orders/index', 'pages/about/index'])
    for (const t of app.tabBar.list) {
      expect(existsSync(join(dist, t.iconPath))).toBe(true)
      expect(existsSync(join(dist, t.selectedIconPath))).toBe(true)
    }
  })

  it('gives each page its own config, script and template', () => {
    for (const [page, title] of Object.entries(PAGES)) {
      const config = JSON.parse(read(`${page}.json`))
      expect(config.navigationBarTitleText).toBe(title)
      expect(existsSync(join(dist, `${page}.js`))).toBe(true)
      expect(existsSync(join(dist, `${page}.wxml`))).toBe(true)
    }
    expect(JSON.parse(read('pages/orders/index.json')).enablePullDownRefresh).toBe(true)
    expect(JSON.parse(read('pages/order/index.json')).enablePullDownRefresh).toBe(true)
  })

  it('wires 客服 (open-type contact) and the privacy prompt into the pages that need them', () => {
    // Taro renders through base.wxml's templates; the open-type values live in the page scripts.
    expect(read('base.wxml')).toMatch(/open-type="\{\{i\.\w+\}\}"/)
    expect(read('base.wxml')).toMatch(/bindagreeprivacyauthorization/)
    const shared = ['common.js', 'vendors.js', 'app.js'].filter((f) => existsSync(join(dist, f))).map(read).join('\n')
    expect(shared).toMatch(/openType:\s*"contact"/)
    // Each page that offers 客服 says where the conversation started (sessionFrom).
    expect(read('pages/index/index.js')).toMatch(/sessionFrom:\s*"home"/)
    expect(read('pages/order/index.js')).toMatch(/sessionFrom:\s*"order:"/)
    expect(read('pages/about/index.js')).toMatch(/sessionFrom:\s*"about"/)
    expect(shared).toMatch(/openType:\s*"agreePrivacyAuthorization"/)
    expect(read('app.js') + shared).toMatch(/onNeedPrivacyAuthorization/)
  })
})
