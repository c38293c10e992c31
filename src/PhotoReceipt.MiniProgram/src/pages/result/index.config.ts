export default definePageConfig({ navigationBarTitleText: '检测结果' })
