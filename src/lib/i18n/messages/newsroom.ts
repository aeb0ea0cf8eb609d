// Strings of the newsroom (sign-in, dashboards, forms).
export const newsroom = {
  id: {
    'newsroom.title': 'Ruang redaksi',
  },
  en: {
    'newsroom.title': 'Newsroom',
  },
} as const;
