// Newsroom forms, progressive enhancement only (every form works without it):
// Ctrl+Enter (or Cmd+Enter) in a form saves it, so a quote can be logged without leaving the keyboard.
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
  const form = event.target instanceof Element ? event.target.closest('form.nr-form') : null;
  if (!form) return;
  event.preventDefault();
  form.requestSubmit();
});
