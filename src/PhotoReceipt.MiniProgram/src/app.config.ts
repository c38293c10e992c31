export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/guide/index',
    'pages/shoot/index',
    'pages/result/index',
    'pages/apply/index',
    'pages/pay/index',
    'pages/orders/index',
    'pages/order/index',
    'pages/about/index',
  ],
  window: {
    navigationBarTitleText: '证件照回执',
    navigationBarBackgroundColor: '#ededed',
    navigationBarTextStyle: 'black',
    backgroundColor: '#ededed',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    color: '#7f7f7f',
    selectedColor: '#07c160',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '办理', iconPath: 'assets/tab-home.png', selectedIconPath: 'assets/tab-home-on.png' },
      { pagePath: 'pages/orders/index', text: '订单', iconPath: 'assets/tab-orders.png', selectedIconPath: 'assets/tab-orders-on.png' },
      { pagePath: 'pages/about/index', text: '我的', iconPath: 'assets/tab-about.png', selectedIconPath: 'assets/tab-about-on.png' },
    ],
  },
  // WeChat's privacy check: privacy-sensitive APIs wait for wx.onNeedPrivacyAuthorization's answer.
  __usePrivacyCheck__: true,
})
