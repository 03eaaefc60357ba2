import { useState } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanExchange } from '../../hooks/plan.tsx';
import { localToday } from '../shared/format.ts';
import { downloadText, exportFileName } from './exportFile.ts';
import { ImportPlan } from './ImportPlan.tsx';
import { PrintButton } from './PrintButton.tsx';
import './exchange.css';

/** The open plan's file actions: print it, export it to a file, import a file. */
export function ExchangeButtons({ planName }: { planName: string }) {
  const { t } = useI18n();
  const { exportFile } = usePlanExchange();
  const [exported, setExported] = useState<string | null>(null);
  const name = planName || t('crisis.defaultPlanName');
  const exportPlan = () => {
    const fileName = exportFileName(name, localToday());
    downloadText(fileName, JSON.stringify(exportFile(name), null, 2), 'application/json');
    setExported(fileName);
  };
  return (
    <div className="exchange">
      <div className="exchange-buttons">
        <PrintButton planName={name} />
        <button type="button" onClick={exportPlan}>
          {t('exchange.export')}
        </button>
        <ImportPlan />
      </div>
      {exported && (
        <p role="status" className="exchange-message">
          {t('exchange.exported', { file: exported })}
        </p>
      )}
    </div>
  );
}
