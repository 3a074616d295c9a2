/** Choosing units: a checkbox list, and the "all units below" recipients fieldset built on it. */
import { useState } from 'preact/hooks';
import type { UnitRef } from '../api/types';
import { useI18n } from '../i18n';

export function UnitPicker(props: {
  units: UnitRef[];
  selected: string[];
  onChange: (codes: string[]) => void;
  name: string;
}) {
  return (
    <div class="picker">
      {props.units.map((u) => (
        <label class="check">
          <input
            type="checkbox"
            name={props.name}
            value={u.code}
            checked={props.selected.includes(u.code)}
            onChange={(e) =>
              props.onChange(
                (e.target as HTMLInputElement).checked
                  ? [...props.selected, u.code]
                  : props.selected.filter((c) => c !== u.code),
              )
            }
          />
          {u.name}
        </label>
      ))}
    </div>
  );
}

/** Recipients of a document: every unit below (the default), or those picked. */
export function RecipientsFieldset(props: {
  units: UnitRef[];
  everyone: boolean;
  onEveryone: (everyone: boolean) => void;
  selected: string[];
  onChange: (codes: string[]) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset>
      <legend>{t('recipients')}</legend>
      <label class="check">
        <input
          type="checkbox"
          checked={props.everyone}
          onChange={(e) => props.onEveryone((e.target as HTMLInputElement).checked)}
        />{' '}
        {t('allChildren')} ({props.units.length})
      </label>
      {!props.everyone ? (
        <UnitPicker
          name="recipients"
          units={props.units}
          selected={props.selected}
          onChange={props.onChange}
        />
      ) : null}
    </fieldset>
  );
}

/**
 * The state behind a {@link RecipientsFieldset} (every unit below by default): `field` is
 * spread into the fieldset, `request()` is what the API request carries — nothing for every
 * unit below, else the codes picked.
 */
export function useRecipients() {
  const [everyone, setEveryone] = useState(true);
  const [selected, setSelected] = useState<string[]>([]);
  return {
    field: { everyone, onEveryone: setEveryone, selected, onChange: setSelected },
    request: (): { recipients?: string[] } =>
      !everyone && selected.length ? { recipients: selected } : {},
  };
}
