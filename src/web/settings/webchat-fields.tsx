// The website chat's settings in the channel form: title and greeting per language, the accent
// colour with a readability check and a live preview, and the websites allowed to embed it.
import { useId } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from '../ui/icon.js';
import {
  colourCheck,
  WEBCHAT_LANGUAGES,
  WIDGET_DEFAULTS,
  type WebchatFormValues,
  type WebchatLanguage,
} from './webchat-form.js';

const HEX = /^#[0-9a-fA-F]{6}$/;

function LocalizedInputs(props: {
  label: string;
  hint: string;
  values: Record<WebchatLanguage, string>;
  placeholders: Record<WebchatLanguage, string>;
  multiline?: boolean;
  maxLength: number;
  onChange(values: Record<WebchatLanguage, string>): void;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="field localized">
      <legend className="field-label">
        {props.label}
        <span className="muted"> · {t('common.optional')}</span>
      </legend>
      <div className="localized-inputs">
        {WEBCHAT_LANGUAGES.map((language) => (
          <label key={language} className="localized-input">
            <span className="language-tag">{t(`webchat.language.${language}`)}</span>
            {props.multiline ? (
              <textarea
                rows={3}
                maxLength={props.maxLength}
                placeholder={props.placeholders[language]}
                value={props.values[language]}
                onChange={(event) => props.onChange({ ...props.values, [language]: event.target.value })}
              />
            ) : (
              <input
                maxLength={props.maxLength}
                placeholder={props.placeholders[language]}
                value={props.values[language]}
                onChange={(event) => props.onChange({ ...props.values, [language]: event.target.value })}
              />
            )}
          </label>
        ))}
      </div>
      <span className="field-hint">{props.hint}</span>
    </fieldset>
  );
}

function WidgetPreview({ values }: { values: WebchatFormValues }) {
  const { t, locale } = useI18n();
  const language: WebchatLanguage = locale.startsWith('pt') ? 'pt-BR' : 'en';
  const color = HEX.test(values.color) ? values.color : '#2563eb';
  const text = colourCheck(color)?.text ?? '#fff';
  const title = values.title[language].trim() || WIDGET_DEFAULTS.title[language];
  const greeting = values.greeting[language].trim() || WIDGET_DEFAULTS.greeting[language];
  return (
    <div className="widget-preview" aria-label={t('webchat.preview')} role="img">
      <div className="widget-preview-panel">
        <div className="widget-preview-head" style={{ background: color, color: text }}>
          {title}
        </div>
        <div className="widget-preview-body">
          <span className="widget-preview-author">{title}</span>
          <div className="widget-preview-bubble">{greeting}</div>
          <div className="widget-preview-bubble mine" style={{ background: color, color: text }}>
            {t('webchat.previewVisitor')}
          </div>
        </div>
      </div>
      <span className="widget-preview-launcher" style={{ background: color, color: text }}>
        <Icon name="webchat" size={20} />
      </span>
    </div>
  );
}

export function WebchatFields(props: {
  values: WebchatFormValues;
  onChange(values: WebchatFormValues): void;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const { values, onChange } = props;
  const valid = HEX.test(values.color);
  const check = valid ? colourCheck(values.color) : null;
  return (
    <div className="webchat-fields">
      <div className="webchat-fields-form">
        <LocalizedInputs
          label={t('webchat.title')}
          hint={t('webchat.titleHint')}
          values={values.title}
          placeholders={WIDGET_DEFAULTS.title}
          maxLength={80}
          onChange={(title) => onChange({ ...values, title })}
        />
        <LocalizedInputs
          label={t('webchat.greeting')}
          hint={t('webchat.greetingHint')}
          values={values.greeting}
          placeholders={WIDGET_DEFAULTS.greeting}
          maxLength={500}
          multiline
          onChange={(greeting) => onChange({ ...values, greeting })}
        />
        <div className="field">
          <label className="field-label" htmlFor={`${id}-hex`}>
            {t('webchat.color')}
          </label>
          <div className="colour-field">
            <input
              type="color"
              aria-label={t('webchat.colorPicker')}
              value={valid ? values.color.toLowerCase() : '#2563eb'}
              onChange={(event) => onChange({ ...values, color: event.target.value })}
            />
            <input
              id={`${id}-hex`}
              className="colour-hex"
              required
              pattern="#[0-9a-fA-F]{6}"
              maxLength={7}
              spellCheck={false}
              value={values.color}
              aria-invalid={!valid}
              onChange={(event) => onChange({ ...values, color: event.target.value.trim() })}
            />
          </div>
          {!valid ? (
            <span className="field-hint error-text">{t('webchat.colorInvalid')}</span>
          ) : check && check.buttonVerdict === 'low' ? (
            <span className="field-hint contrast low">
              <Icon name="warning" size={13} />
              {t('webchat.contrastButtonLow')}
            </span>
          ) : check ? (
            <span className={`field-hint contrast ${check.textVerdict}`}>
              <Icon name={check.textVerdict === 'good' ? 'check' : 'warning'} size={13} />
              {t(check.textVerdict === 'good' ? 'webchat.contrastGood' : 'webchat.contrastLow', {
                ratio: number(check.textRatio, { maximumFractionDigits: 1 }),
              })}
            </span>
          ) : null}
        </div>
        <label className="field">
          <span>
            {t('channelField.allowedOrigins')}
            <span className="muted"> · {t('common.optional')}</span>
          </span>
          <textarea
            rows={2}
            spellCheck={false}
            placeholder="https://shop.example.com"
            value={values.origins}
            onChange={(event) => onChange({ ...values, origins: event.target.value })}
          />
          <span className="field-hint">{t('channelField.allowedOriginsHint')}</span>
        </label>
      </div>
      <WidgetPreview values={values} />
    </div>
  );
}
