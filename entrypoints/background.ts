import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';

/**
 * The service worker holds no plan data: every page opens the docs itself from IndexedDB.
 * It only greets a new installation with the app page, where the first plan is made.
 */
export default defineBackground(() => {
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('/app.html') });
  });
});
