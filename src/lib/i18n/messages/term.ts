// Strings of a term's record: why promises broke, who is responsible, progress over the term,
// milestone reports and the comparison of tickets. Keys: reason.*, term.*, newsroom.field.* and
// newsroom.error.* of these features only.
export const term = {
  id: {
    'reason.not_prioritised': 'Tidak diprioritaskan',
    'reason.position_changed': 'Sikap berubah',
    'reason.blocked_by_dprd': 'Terhambat di DPRD',
    'reason.no_budget': 'Tidak ada anggaran',
    'reason.blocked_by_other_government': 'Terhambat pemerintah tingkat lain',
    'reason.done_by_others': 'Dikerjakan pihak lain',
    'reason.other': 'Lainnya',
    'term.reason.label': 'Alasan',
    'term.reason.hint':
      'Wajib bila status menjadi Mandek, Ditepati sebagian atau Diingkari; biarkan "Tanpa alasan" untuk status lain.',
    'term.reason.none': 'Tanpa alasan (status lain)',
    'term.reason.text_hint': 'Hanya untuk alasan "Lainnya": jelaskan singkat.',
    'term.reason.why': 'Mengapa',
    'term.reasons.title': 'Mengapa janji tidak ditepati',
    'term.reasons.none': 'Belum ada janji yang mandek, ditepati sebagian atau diingkari.',
    'term.reasons.count': 'Jumlah',
    'term.history.title': 'Perjalanan janji dari bulan ke bulan',
    'term.history.summary':
      'Jumlah janji menurut status tiap akhir bulan, {from} sampai {to}; angkanya ada di tabel.',
    'term.history.caption': 'Tiap batang satu bulan; warna menurut status, dari Belum dinilai di bawah.',
    'term.history.table': 'Jumlah janji menurut status pada akhir tiap bulan',
    'term.history.month': 'Bulan',
    'term.history.total': 'Jumlah',
    'newsroom.field.reason_text': 'Alasan lainnya',
    'newsroom.error.reason_required':
      'Pilih alasan: wajib untuk status Mandek, Ditepati sebagian dan Diingkari.',
    'newsroom.error.reason_not_allowed':
      'Alasan hanya untuk status Mandek, Ditepati sebagian dan Diingkari; kosongkan untuk status ini.',
    'newsroom.error.reason_text_only_other': 'Teks alasan hanya diisi bila alasannya "Lainnya".',
  },
  en: {
    'reason.not_prioritised': 'Not prioritised',
    'reason.position_changed': 'Position changed',
    'reason.blocked_by_dprd': 'Blocked by the regional council (DPRD)',
    'reason.no_budget': 'No budget',
    'reason.blocked_by_other_government': 'Blocked by another level of government',
    'reason.done_by_others': 'Done by someone else',
    'reason.other': 'Other',
    'term.reason.label': 'Reason',
    'term.reason.hint':
      'Required when the status becomes Stalled, Compromise or Broken; leave "No reason" for any other status.',
    'term.reason.none': 'No reason (other statuses)',
    'term.reason.text_hint': 'Only for the reason "Other": explain briefly.',
    'term.reason.why': 'Why',
    'term.reasons.title': 'Why promises were not kept',
    'term.reasons.none': 'No promise has stalled, been kept in part or broken yet.',
    'term.reasons.count': 'Count',
    'term.history.title': 'Promises month by month',
    'term.history.summary':
      'Promises by status at the end of each month, {from} to {to}; the numbers are in the table.',
    'term.history.caption': 'Each bar is a month; colours by status, Not yet rated at the bottom.',
    'term.history.table': 'Promises by status at the end of each month',
    'term.history.month': 'Month',
    'term.history.total': 'Total',
    'newsroom.field.reason_text': 'Other reason',
    'newsroom.error.reason_required': 'Choose a reason: required for Stalled, Compromise and Broken.',
    'newsroom.error.reason_not_allowed':
      'A reason is only for Stalled, Compromise and Broken; leave it empty for this status.',
    'newsroom.error.reason_text_only_other': 'The reason text is only filled in when the reason is "Other".',
  },
};
