/**
 * The export file's name, `varde-<plan>-YYYY-MM-DD.json`: a person finds it in Downloads by
 * the plan's name and the day. Letters of any language are kept ("Åse" stays "åse"); what a
 * file system might refuse becomes "-".
 */
export function exportFileName(planName: string, day: string): string {
  const safe = planName
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `varde-${safe || 'plan'}-${day}.json`;
}

/**
 * Saves text as a download. The content goes through a blob: URL only, never into a
 * page address or history entry.
 */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by now; a minute is ample for slow disks.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
