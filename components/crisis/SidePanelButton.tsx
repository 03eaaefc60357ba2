import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { useI18n } from '../../hooks/i18n.tsx';

/** Firefox calls its side panel a sidebar; the Chrome typings do not know it. */
type Sidebar = { sidebarAction?: { open?: () => Promise<void> } };

/** Closes the card if it is the toolbar popup; the same page opened as a tab stays open. */
function closeIfPopup(): void {
  try {
    if (browser.extension?.getViews?.({ type: 'popup' }).includes(window)) window.close();
  } catch {
    // Not available in this browser: leaving the card open is harmless.
  }
}

/**
 * "Open in side panel", only where the browser has one. Chrome opens it only within the
 * click itself, so the window id is looked up before, not after, the click.
 */
export function SidePanelButton() {
  const { t } = useI18n();
  const sidebar = (browser as unknown as Sidebar).sidebarAction;
  // Absent where the browser has no side panel API, whatever the typings say.
  const chromePanel = (browser.sidePanel as typeof browser.sidePanel | undefined) ?? null;
  const [windowId, setWindowId] = useState<number | null>(null);
  useEffect(() => {
    if (!chromePanel) return;
    browser.windows
      .getCurrent()
      .then((w) => setWindowId(w.id ?? null))
      .catch(() => setWindowId(null));
  }, [chromePanel]);
  const open = sidebar?.open
    ? () => sidebar.open!()
    : chromePanel && windowId !== null
      ? () => chromePanel.open({ windowId })
      : null;
  if (!open) return null;
  return (
    <button type="button" className="crisis-link" onClick={() => void open().then(closeIfPopup, () => {})}>
      {t('crisis.openSidePanel')}
    </button>
  );
}
