export function yuan(fen: number): string {
  return fen === 0 ? '免费' : `¥${(fen / 100).toFixed(2)}`
}

/** 2026-11-29 18:05 in China time, whatever the device's zone. */
export function chinaTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600 * 1000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`
}

export function validity(days: number): string {
  if (days % 30 === 0 && days >= 60) return `${days / 30} 个月`
  return `${days} 天`
}

const DOCUMENT_TYPES: Record<string, string> = {
  'residence-permit': '居住证',
  'id-card': '身份证',
  'exit-entry': '出入境证件',
  'social-security': '社保卡',
  'driver-license': '驾驶证',
  'photo-only': '证件照（无回执）',
}

export function documentTypeName(type: string): string {
  return DOCUMENT_TYPES[type] ?? type
}

export const DOCUMENT_TYPE_ORDER = Object.keys(DOCUMENT_TYPES)

/** Where a receipt of this kind is accepted: the offices that fetch photos by image number. */
export function acceptedAt(type: string, region?: string | null): string {
  const where = region ?? '全国'
  switch (type) {
    case 'residence-permit': return `${where}公安机关居住证受理点（派出所、社区服务站）`
    case 'id-card': return `${where}公安户政窗口、自助办证机`
    case 'exit-entry': return `${where}出入境接待大厅、自助申请机`
    case 'social-security': return `${where}社保卡服务网点、合作银行网点`
    case 'driver-license': return `${where}车管所、交警服务站`
    default: return '无回执：电子照可用于网上报名，或打印 6 寸排版照'
  }
}

export const BACKGROUND_NAMES: Record<string, string> = {
  white: '白色', blue: '蓝色', red: '红色', grey: '灰色', 'light-grey': '浅灰', 'light-blue': '浅蓝',
}

export const BACKGROUND_COLOURS: Record<string, string> = {
  white: '#FFFFFF', blue: '#438EDB', red: '#D0021B', grey: '#BFBFBF', 'light-grey': '#D8D8D8', 'light-blue': '#64C5FF',
}
