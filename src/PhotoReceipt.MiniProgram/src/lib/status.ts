/** The colour of a status label in lists and banners. */
export function statusTone(status: string): string {
  switch (status) {
    case 'approved': return 'tag-green'
    case 'rejected': case 'failed': return 'tag-red'
    case 'awaiting_payment': case 'created': return 'tag-orange'
    case 'queued': case 'submitted': return 'tag-blue'
    default: return 'tag-grey'
  }
}
