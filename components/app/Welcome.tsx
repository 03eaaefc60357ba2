import { useI18n } from '../../hooks/i18n.tsx';
import { ImportPlan } from '../exchange/ImportPlan.tsx';
import { JoinForm } from '../sharing/JoinForm.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { NewPlanForm } from './NewPlanForm.tsx';

/**
 * First run: nothing to lose yet, one clear thing to do. Making a plan is the one primary
 * action; joining someone's plan and bringing in a saved file are there, each behind one tap
 * that says in plain words who it is for.
 */
export function Welcome() {
  const { t } = useI18n();
  return (
    <main className="welcome">
      {/* The language first: a person who does not read the one shown can find their own. */}
      <div className="welcome-language">
        <LanguageSwitcher />
      </div>
      <h1>{t('app.welcomeTitle')}</h1>
      <p>{t('app.welcomeText')}</p>
      <NewPlanForm />
      <div className="welcome-other">
        <details className="welcome-path">
          <summary>{t('app.welcomeInvited')}</summary>
          <section className="join-section" aria-labelledby="welcome-join">
            <h2 id="welcome-join">{t('sharing.joinTitle')}</h2>
            <p>{t('sharing.joinIntro')}</p>
            <JoinForm />
          </section>
        </details>
        <details className="welcome-path">
          <summary>{t('app.welcomeHaveFile')}</summary>
          <p>{t('app.welcomeImport')}</p>
          <ImportPlan />
        </details>
      </div>
    </main>
  );
}
