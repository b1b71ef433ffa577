import { ActionRowBuilder, ButtonBuilder, ButtonStyle, ComponentType, LabelBuilder, ModalBuilder, StringSelectMenuBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { ANSWER_MAX, ANSWERS_MAX, ANSWERS_MIN, QUESTION_MAX } from '../../polls/validate.js';
import { t } from '../../i18n/index.js';
import { encodeCustomId } from '../custom-id.js';

/** What a member typed into the /poll new form; kept as typed, so a refused form can be shown again. */
export interface PollDraft {
  question: string;
  answers: string;
  duration: string;
  maxChoices: number;
  hideResults: boolean;
  allowChange: boolean;
}

export const EMPTY_DRAFT: PollDraft = { question: '', answers: '', duration: '', maxChoices: 1, hideResults: false, allowChange: true };

/** How long a refused form is kept for "Edit my poll" (src/discord/poll-form.ts keeps it). */
export const DRAFT_MINUTES = 15;

/** The form's field ids (custom_ids inside the modal, read back on submit). */
export const FIELD = { question: 'question', answers: 'answers', duration: 'duration', maxChoices: 'max_choices', settings: 'settings' } as const;
export const SETTING = { hide: 'hide', change: 'change' } as const;

/** `poll:new`: the form's own custom_id; `poll:edit` the button that shows a refused form again. */
export const NEW_POLL_MODAL_ID = encodeCustomId('poll', 'new');
const EDIT_BUTTON_ID = encodeCustomId('poll', 'edit');

/** Answers fit one per line with room to spare, so a line too long is refused with its number rather than cut off by Discord. */
const ANSWERS_INPUT_MAX = 1000;

/**
 * /poll new's form: question, answers one per line, duration, how many answers a member may pick
 * and two settings: five labelled components, Discord's maximum. Filled in with `draft` when a
 * refused form is shown again. The voter role stays a /poll start option (no sixth component).
 */
export function newPollModal(draft: PollDraft = EMPTY_DRAFT, locale?: string): ModalBuilder {
  const text = (id: string, style: TextInputStyle, max: number, required: boolean, value: string, placeholder: string) => {
    const input = new TextInputBuilder().setCustomId(id).setStyle(style).setMaxLength(max).setRequired(required).setPlaceholder(placeholder);
    return value === '' ? input : input.setValue(value.slice(0, max));
  };
  const picks = new StringSelectMenuBuilder()
    .setCustomId(FIELD.maxChoices)
    .setMinValues(1)
    .setMaxValues(1)
    .addOptions(
      Array.from({ length: ANSWERS_MAX }, (_, i) => i + 1).map((n) => ({
        label: n === 1 ? t(locale, 'pollForm.oneAnswer') : t(locale, 'pollForm.upTo', { max: n }),
        value: String(n),
        ...(n === 1 ? { description: t(locale, 'pollForm.oneAnswerHelp') } : {}),
        default: n === draft.maxChoices,
      })),
    );
  return new ModalBuilder()
    .setCustomId(NEW_POLL_MODAL_ID)
    .setTitle(t(locale, 'pollForm.title'))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel(t(locale, 'pollForm.question'))
        .setTextInputComponent(text(FIELD.question, TextInputStyle.Short, QUESTION_MAX, true, draft.question, t(locale, 'pollForm.questionPlaceholder'))),
      new LabelBuilder()
        .setLabel(t(locale, 'pollForm.answers'))
        .setDescription(t(locale, 'pollForm.answersHelp', { min: ANSWERS_MIN, max: ANSWERS_MAX, length: ANSWER_MAX }))
        .setTextInputComponent(text(FIELD.answers, TextInputStyle.Paragraph, ANSWERS_INPUT_MAX, true, draft.answers, t(locale, 'pollForm.answersPlaceholder'))),
      new LabelBuilder()
        .setLabel(t(locale, 'pollForm.duration'))
        .setDescription(t(locale, 'pollForm.durationHelp'))
        .setTextInputComponent(text(FIELD.duration, TextInputStyle.Short, 20, false, draft.duration, '24h')),
      new LabelBuilder().setLabel(t(locale, 'pollForm.picks')).setStringSelectMenuComponent(picks),
      new LabelBuilder().setLabel(t(locale, 'pollForm.settings')).setCheckboxGroupComponent({
        type: ComponentType.CheckboxGroup,
        custom_id: FIELD.settings,
        min_values: 0,
        max_values: 2,
        required: false,
        options: [
          { value: SETTING.hide, label: t(locale, 'pollForm.hide'), default: draft.hideResults },
          { value: SETTING.change, label: t(locale, 'pollForm.change'), default: draft.allowChange },
        ],
      }),
    );
}

/** The private answer to a refused form: what to fix, and a button that shows the form again as it was typed. */
export function refusedFormMessage(problem: string, locale?: string) {
  return {
    content: t(locale, 'pollForm.refused', { problem, minutes: DRAFT_MINUTES }),
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(EDIT_BUTTON_ID).setLabel(t(locale, 'pollForm.edit')).setStyle(ButtonStyle.Primary))],
  };
}
