import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';

/** A fresh profile shows the Welcome screen; this makes a plan and lands on the goal board. */
async function newPlan(page: Page): Promise<void> {
  await page.getByRole('textbox', { name: 'Name of the plan' }).fill('Kari');
  await page.getByRole('button', { name: 'New plan' }).click();
  await expect(page.getByRole('button', { name: 'Add goal' })).toBeVisible();
}

async function addGoal(page: Page, title: string): Promise<Locator> {
  await page.getByRole('textbox', { name: 'Goal', exact: true }).fill(title);
  await page.getByRole('button', { name: 'Add goal' }).click();
  const goal = page.getByRole('article', { name: title });
  await expect(goal).toBeVisible();
  return goal;
}

/** The goal's own notes: a new goal has no sub-goals or reviews, so one "Comment" button. */
const commentButton = (item: Locator) => item.getByRole('button', { name: 'Comment', exact: true });
/** A thread's list item (it comes before its comments' items in the page). */
const thread = (item: Locator, text: string) => item.getByRole('listitem').filter({ hasText: text }).first();

test('a comment on a goal is replied to, resolved, and found under "Show resolved" after a reload', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const page = await ada.openPage('app.html');
  await newPlan(page);
  const goal = await addGoal(page, 'Walk to the shop');

  const toggle = commentButton(goal);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const commentBox = goal.getByRole('textbox', { name: 'Comment', exact: true });
  await expect(commentBox).toBeFocused();
  await expect(goal.getByText('No comments yet.')).toBeVisible();

  // Typed markup stays text: nothing in a comment is ever rendered as HTML.
  await commentBox.fill('<b>Shall we</b> start with the corner?');
  await goal.getByRole('button', { name: 'Save comment' }).click();
  await expect(goal.getByText('<b>Shall we</b> start with the corner?')).toBeVisible();
  await expect(goal.locator('b')).toHaveCount(0);
  await expect(commentBox).toHaveValue('');
  await expect(toggle).toHaveText('Comment (1)');
  await expect(toggle).toHaveAccessibleName('Comment');

  await goal.getByRole('textbox', { name: 'Reply' }).fill('Yes, the corner first.');
  await goal.getByRole('button', { name: 'Reply', exact: true }).click();
  const talk = thread(goal, 'Yes, the corner first.');
  await expect(talk).toContainText('start with the corner?');
  await expect(talk.getByText('You', { exact: true })).toHaveCount(2);
  await expect(talk.getByText('now', { exact: true }).first()).toBeVisible();

  await goal.getByRole('button', { name: 'Resolve' }).click();
  await expect(goal.getByText('Yes, the corner first.')).toBeHidden();
  await expect(goal.getByRole('button', { name: 'Show resolved (1)' })).toBeVisible();
  await expect(toggle).toHaveText('Comment');

  await page.reload();
  const again = page.getByRole('article', { name: 'Walk to the shop' });
  await commentButton(again).click();
  const showResolved = again.getByRole('button', { name: 'Show resolved (1)' });
  await expect(showResolved).toHaveAttribute('aria-expanded', 'false');
  await showResolved.click();
  const resolved = thread(again, 'Yes, the corner first.');
  await expect(resolved).toBeVisible();
  await expect(resolved).toContainText('<b>Shall we</b> start with the corner?');
  await expect(resolved.getByRole('button', { name: 'Reopen' })).toBeVisible();
  await expect(again.getByRole('button', { name: 'Hide resolved (1)' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );

  await resolved.getByRole('button', { name: 'Reopen' }).click();
  await expect(commentButton(again)).toHaveText('Comment (1)');
  await expect(again.getByRole('button', { name: 'Resolve' })).toBeVisible();
});

test('the thread area works from the keyboard and keeps a half-written comment', async ({ openPerson }) => {
  const ada = await openPerson('ada');
  const page = await ada.openPage('app.html');
  await newPlan(page);
  const goal = await addGoal(page, 'Sleep before midnight');
  const toggle = commentButton(goal);

  await toggle.focus();
  await page.keyboard.press('Enter');
  const commentBox = goal.getByRole('textbox', { name: 'Comment', exact: true });
  await expect(commentBox).toBeFocused();
  await page.keyboard.type('Not sure yet');
  await page.keyboard.press('Escape');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).toBeFocused();
  await expect(commentBox).toBeHidden();

  await page.keyboard.press('Enter');
  await expect(commentBox).toBeFocused();
  await expect(commentBox).toHaveValue('Not sure yet');
  await page.keyboard.press('Control+Enter');
  await expect(goal.getByText('Not sure yet', { exact: true })).toBeVisible();

  // An empty comment is not sent; the person is told why, calmly.
  await goal.getByRole('button', { name: 'Save comment' }).click();
  await expect(goal.getByText('Please write something first.')).toBeVisible();
  await expect(toggle).toHaveText('Comment (1)');
});

test('a comment on a service-plan section is kept apart from the goal board’s and survives a reload', async ({
  openPerson,
}) => {
  const ada = await openPerson('ada');
  const page = await ada.openPage('app.html');
  await newPlan(page);
  await page.getByRole('button', { name: 'Service plan' }).click();
  const section = page.getByRole('region', { name: 'Early warning signs', exact: true });
  await commentButton(section).click();
  await section.getByRole('textbox', { name: 'Comment', exact: true }).fill('Ask my sister what she notices');
  await section.getByRole('button', { name: 'Save comment' }).click();
  await expect(commentButton(section)).toHaveText('Comment (1)');

  await page.reload();
  const again = page.getByRole('region', { name: 'Early warning signs', exact: true });
  await expect(commentButton(again)).toHaveText('Comment (1)');
  await expect(commentButton(page.getByRole('region', { name: 'Triggers', exact: true }))).toHaveText(
    'Comment',
  );
  await commentButton(again).click();
  await expect(again.getByText('Ask my sister what she notices')).toBeVisible();
});
