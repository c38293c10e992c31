import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input, Button, Checkbox, Picker } from '@tarojs/components'
import * as client from '../../api/client'
import { ApiError } from '../../api/http'
import type { ConsentStatus } from '../../api/types'
import ErrorBox from '../../components/ErrorBox'
import { SubmissionKeys } from '../../lib/idempotency'
import { journey } from '../../lib/store'
import { GUARDIAN_RELATIONSHIPS, needsGuardian, normalizePhone, validateApplication, type FormErrors } from '../../lib/validate'
import { normalizeId } from '../../lib/idcard'

/** Applicant form: name, ID number and mobile checked on the device; privacy consent; a guardian for a child under 14. */
export default function Apply() {
  const router = useRouter()
  const photoId = router.params.photoId ?? journey.photoId
  const [name, setName] = useState('')
  const [idNumber, setIdNumber] = useState('')
  const [phone, setPhone] = useState('')
  const [guardianName, setGuardianName] = useState('')
  const [relationship, setRelationship] = useState('')
  const [guardianConsent, setGuardianConsent] = useState(false)
  const [privacyAgreed, setPrivacyAgreed] = useState(false)
  const [privacy, setPrivacy] = useState<ConsentStatus | null>(null)
  const [errors, setErrors] = useState<FormErrors>({})
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const keys = useRef(new SubmissionKeys())

  useEffect(() => {
    client.consents().then((l) => {
      const p = l.items.find((i) => i.kind === 'privacy_policy') ?? null
      setPrivacy(p)
      if (p?.given) setPrivacyAgreed(true)
    }).catch(setError)
  }, [])

  const minor = needsGuardian(idNumber)

  const submit = async () => {
    if (busy) return
    const found = validateApplication({ name, idNumber, phone }, { name: guardianName, relationship, consent: guardianConsent }, privacyAgreed)
    setErrors(found)
    setError(null)
    if (Object.keys(found).length > 0 || !photoId || !journey.product || !privacy) return
    setBusy(true)
    try {
      if (!privacy.given) setPrivacy(await client.giveConsent(privacy.kind, privacy.version))
      const body = {
        productId: journey.product.id,
        photoId,
        applicant: { name: name.trim(), idNumber: normalizeId(idNumber), phone: normalizePhone(phone) },
        consentVersion: privacy.version,
        ...(minor ? { guardian: { name: guardianName.trim(), relationship, consent: guardianConsent } } : {}),
      }
      // The same form sent again (a retry after a lost answer) carries the same key: one order, never two.
      const order = await client.createOrder(body, keys.current.keyFor(body))
      Taro.redirectTo({ url: `/pages/pay/index?id=${order.id}` })
    } catch (e) {
      if (e instanceof ApiError && e.errors) {
        const fields: FormErrors = {}
        for (const [k, v] of Object.entries(e.errors)) {
          const key = ({ 'applicant.name': 'name', 'applicant.idNumber': 'idNumber', 'applicant.phone': 'phone', guardian: 'guardianConsent', 'guardian.name': 'guardianName', 'guardian.relationship': 'relationship', 'guardian.consent': 'guardianConsent' } as Record<string, keyof FormErrors>)[k]
          if (key) fields[key] = v[0]
        }
        setErrors(fields)
      }
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  const field = (label: string, value: string, set: (v: string) => void, key: keyof FormErrors, extra: Record<string, unknown> = {}) => (
    <>
      <View className='cell'>
        <Text className='label'>{label}</Text>
        <Input className='input' value={value} onInput={(e) => set(e.detail.value)} aria-label={label} {...extra} />
      </View>
      {errors[key] && <View className='field-error' data-error={key}><Text>{errors[key]}</Text></View>}
    </>
  )

  return (
    <View className='page'>
      <View className='notice-bar'><Text>请填写证件申请人本人信息。信息加密保存，仅用于生成回执和提交审核。</Text></View>
      <View className='section-title'><Text>申请人信息</Text></View>
      <View className='cells'>
        {field('姓名', name, setName, 'name', { placeholder: '与身份证一致' })}
        {field('身份证号', idNumber, setIdNumber, 'idNumber', { placeholder: '18 位居民身份证号码', maxlength: 18, type: 'idcard' })}
        {field('手机号', phone, setPhone, 'phone', { placeholder: '用于接收审核通知', maxlength: 13, type: 'number' })}
      </View>

      {minor && (
        <>
          <View className='section-title'><Text>监护人同意（申请人未满 14 周岁）</Text></View>
          <View className='cells'>
            {field('监护人', guardianName, setGuardianName, 'guardianName', { placeholder: '监护人姓名' })}
            <Picker mode='selector' range={GUARDIAN_RELATIONSHIPS} onChange={(e) => setRelationship(GUARDIAN_RELATIONSHIPS[Number(e.detail.value)])}>
              <View className='cell cell-arrow'>
                <Text className='label'>关系</Text>
                <View className='cell-main'><Text className={relationship ? '' : 'muted'}>{relationship || '请选择'}</Text></View>
              </View>
            </Picker>
            {errors.relationship && <View className='field-error'><Text>{errors.relationship}</Text></View>}
            <View className='checkbox-row' onClick={() => setGuardianConsent(!guardianConsent)}>
              <Checkbox value='guardian' checked={guardianConsent} />
              <Text>我是申请人的监护人，同意为其办理并处理其个人信息和人脸照片</Text>
            </View>
            {errors.guardianConsent && <View className='field-error' data-error='guardianConsent'><Text>{errors.guardianConsent}</Text></View>}
          </View>
        </>
      )}

      <View className='section-title'><Text>隐私授权</Text></View>
      <View className='checkbox-row' onClick={() => setPrivacyAgreed(!privacyAgreed)}>
        <Checkbox value='privacy' checked={privacyAgreed} />
        <Text>我已阅读并同意</Text>
        <Text className='link' onClick={(e) => { e.stopPropagation(); Taro.navigateTo({ url: '/pages/about/index?section=privacy' }) }}>《隐私政策》</Text>
        <Text>{privacy ? `（${privacy.version} 版）` : ''}</Text>
      </View>
      {errors.privacy && <View className='field-error' data-error='privacy'><Text>{errors.privacy}</Text></View>}

      <ErrorBox error={error} onRetry={error instanceof ApiError && error.network ? submit : undefined} />
      <View className='btn-area'>
        <Button className={`btn btn-primary${busy ? ' btn-off' : ''}`} {...(busy ? { disabled: true, loading: true } : {})} onClick={submit}>提交订单</Button>
      </View>
    </View>
  )
}
