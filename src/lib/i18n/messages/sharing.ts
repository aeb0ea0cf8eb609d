// Strings of the verdict meter, the share images and the share links.
export const sharing = {
  id: {
    'meter.on_line': 'Meteran penilaian: {status}, tingkat {position} dari {count}, dari {low} sampai {high}',
    'meter.off_line': 'Meteran penilaian: {status}, belum punya tempat pada skala dari {low} sampai {high}',
    'share.image_alt': '{status}: {title}',
    'share.said_by': 'Dikatakan oleh {who}',
    'share.whatsapp_message': 'Cek fakta: {status}. "{title}" {url}',
    'share.claims_count': '{count} klaim',
    'share.candidate_claims': '{count} klaim diperiksa',
    'share.tickets_count': '{count} pasangan calon',
  },
  en: {
    'meter.on_line': 'Verdict meter: {status}, step {position} of {count}, from {low} to {high}',
    'meter.off_line': 'Verdict meter: {status}, not yet placed on the scale from {low} to {high}',
    'share.image_alt': '{status}: {title}',
    'share.said_by': 'Said by {who}',
    'share.whatsapp_message': 'Fact-check: {status}. "{title}" {url}',
    'share.claims_count': '{count} claims',
    'share.candidate_claims': '{count} claims checked',
    'share.tickets_count': '{count} tickets',
  },
};
