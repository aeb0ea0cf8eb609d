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

    // Candidate photos: public pages.
    'photo.alt': 'Foto {name}',
    'photo.credit': 'Foto: {credit} ({licence})',
    // Candidate photos: the newsroom's page.
    'newsroom.photos.title': 'Foto {name}',
    'newsroom.photos.link': 'Foto kandidat dan wakil',
    'newsroom.photos.back': 'Kembali ke formulir kandidat',
    'newsroom.photos.current': 'Foto yang tampil sekarang',
    'newsroom.photos.none': 'Belum ada foto.',
    'newsroom.photos.remove': 'Hapus foto ini',
    'newsroom.photos.upload': 'Unggah foto',
    'newsroom.photos.rules':
      'JPEG, PNG atau WebP, paling besar 5 MB dan 40 megapiksel. Foto dipotong tegak (4:5) dan disimpan ulang tanpa metadata apa pun, termasuk lokasi GPS. Foto baru menggantikan foto lama orang yang sama.',
    'newsroom.photos.save': 'Unggah',
    'newsroom.field.person': 'Foto siapa',
    'newsroom.field.person_candidate': 'Kandidat',
    'newsroom.field.person_running_mate': 'Wakil',
    'newsroom.field.photo': 'Berkas foto',
    'newsroom.field.photo_credit': 'Kredit foto (fotografer atau sumber)',
    'newsroom.field.photo_licence': 'Lisensi atau izin',
    'newsroom.error.photo_missing': 'Pilih berkas foto.',
    'newsroom.error.photo_empty': 'Berkas ini kosong (0 byte). Pilih berkas fotonya lagi.',
    'newsroom.error.photo_too_large': 'Berkas ini lebih besar dari 5 MB. Perkecil fotonya lalu unggah lagi.',
    'newsroom.error.photo_svg': 'Gambar SVG tidak diterima: unggah foto JPEG, PNG atau WebP.',
    'newsroom.error.photo_not_image': 'Berkas ini bukan foto JPEG, PNG atau WebP.',
    'newsroom.error.photo_truncated':
      'Berkas foto ini terpotong (tidak lengkap). Unduh atau ekspor lagi, lalu unggah.',
    'newsroom.error.photo_corrupt': 'Foto ini rusak dan tidak dapat dibaca. Ekspor lagi, lalu unggah.',
    'newsroom.error.photo_trailing_data':
      'Ada data lain di belakang gambar dalam berkas ini. Simpan ulang fotonya dengan aplikasi foto, lalu unggah.',
    'newsroom.error.photo_misnamed_jpeg':
      'Isi berkas ini JPEG, tetapi namanya tidak berakhiran .jpg. Ganti namanya, lalu unggah lagi.',
    'newsroom.error.photo_misnamed_png':
      'Isi berkas ini PNG, tetapi namanya tidak berakhiran .png. Ganti namanya, lalu unggah lagi.',
    'newsroom.error.photo_misnamed_webp':
      'Isi berkas ini WebP, tetapi namanya tidak berakhiran .webp. Ganti namanya, lalu unggah lagi.',
    'newsroom.error.photo_too_many_pixels':
      'Foto ini lebih dari 40 megapiksel. Perkecil ukurannya, lalu unggah lagi.',
    'newsroom.error.photo_too_small': 'Foto ini terlalu kecil: paling sedikit 100 × 100 piksel.',
    'newsroom.error.photo_animated': 'Gambar bergerak tidak diterima: unggah satu foto diam.',
    'newsroom.error.photo_no_running_mate': 'Pasangan calon ini tidak punya wakil yang tercatat.',
    'newsroom.action.candidate.photo': 'mengunggah foto kandidat',
    'newsroom.action.candidate.photo_remove': 'menghapus foto kandidat',
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

    'photo.alt': 'Photo of {name}',
    'photo.credit': 'Photo: {credit} ({licence})',
    'newsroom.photos.title': 'Photos of {name}',
    'newsroom.photos.link': 'Photos of the candidate and running mate',
    'newsroom.photos.back': 'Back to the candidate form',
    'newsroom.photos.current': 'Photos shown now',
    'newsroom.photos.none': 'No photos yet.',
    'newsroom.photos.remove': 'Remove this photo',
    'newsroom.photos.upload': 'Upload a photo',
    'newsroom.photos.rules':
      'JPEG, PNG or WebP, at most 5 MB and 40 megapixels. Photos are cropped upright (4:5) and saved again without any metadata, GPS location included. A new photo replaces the old one of the same person.',
    'newsroom.photos.save': 'Upload',
    'newsroom.field.person': 'Photo of',
    'newsroom.field.person_candidate': 'Candidate',
    'newsroom.field.person_running_mate': 'Running mate',
    'newsroom.field.photo': 'Photo file',
    'newsroom.field.photo_credit': 'Photo credit (photographer or source)',
    'newsroom.field.photo_licence': 'Licence or permission',
    'newsroom.error.photo_missing': 'Choose a photo file.',
    'newsroom.error.photo_empty': 'This file is empty (0 bytes). Choose the photo file again.',
    'newsroom.error.photo_too_large':
      'This file is larger than 5 MB. Make the photo smaller and upload it again.',
    'newsroom.error.photo_svg': 'SVG drawings are not accepted: upload a JPEG, PNG or WebP photo.',
    'newsroom.error.photo_not_image': 'This file is not a JPEG, PNG or WebP photo.',
    'newsroom.error.photo_truncated':
      'This photo file is cut short (incomplete). Download or export it again, then upload it.',
    'newsroom.error.photo_corrupt':
      'This photo is damaged and cannot be read. Export it again, then upload it.',
    'newsroom.error.photo_trailing_data':
      'This file has other data after the image. Save the photo again with a photo app, then upload it.',
    'newsroom.error.photo_misnamed_jpeg':
      'This file is a JPEG, but its name does not end in .jpg. Rename it and upload it again.',
    'newsroom.error.photo_misnamed_png':
      'This file is a PNG, but its name does not end in .png. Rename it and upload it again.',
    'newsroom.error.photo_misnamed_webp':
      'This file is a WebP, but its name does not end in .webp. Rename it and upload it again.',
    'newsroom.error.photo_too_many_pixels':
      'This photo is over 40 megapixels. Make it smaller, then upload it again.',
    'newsroom.error.photo_too_small': 'This photo is too small: at least 100 × 100 pixels.',
    'newsroom.error.photo_animated': 'Animated images are not accepted: upload one still photo.',
    'newsroom.error.photo_no_running_mate': 'This ticket has no running mate on record.',
    'newsroom.action.candidate.photo': 'uploaded a candidate photo',
    'newsroom.action.candidate.photo_remove': 'removed a candidate photo',
  },
};
