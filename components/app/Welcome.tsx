import { useI18n } from '../../hooks/i18n.tsx';
import { ImportPlan } from '../exchange/ImportPlan.tsx';
import { JoinForm } from '../sharing/JoinForm.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { NewPlanForm } from './NewPlanForm.tsx';

/** First run: nothing to lose yet, one clear thing to do. */
export function Welcome() {
  const { t } = useI18n();
  return (
    <main className="welcome">
      <h1>{t('app.welcomeTitle')}</h1>
      <p>{t('app.welcomeText')}</p>
      <NewPlanForm />
      <p>{t('app.welcomeImport')}</p>
      <ImportPlan />
      <section className="join-section" aria-labelledby="welcome-join">
        <h2 id="welcome-join">{t('sharing.joinTitle')}</h2>
        <p>{t('sharing.joinIntro')}</p>
        <JoinForm />
      </section>
      <LanguageSwitcher />
    </main>
  );
}
