import { ActionRowBuilder, ButtonBuilder, ButtonStyle, ComponentType, LabelBuilder, ModalBuilder, StringSelectMenuBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { ANSWER_MAX, ANSWERS_MAX, ANSWERS_MIN, QUESTION_MAX } from '../../polls/validate.js';
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
export function newPollModal(draft: PollDraft = EMPTY_DRAFT): ModalBuilder {
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
        label: n === 1 ? 'One answer' : `Up to ${n} answers`,
        value: String(n),
        ...(n === 1 ? { description: 'A single-choice poll' } : {}),
        default: n === draft.maxChoices,
      })),
    );
  return new ModalBuilder()
    .setCustomId(NEW_POLL_MODAL_ID)
    .setTitle('New poll')
    .addLabelComponents(
      new LabelBuilder().setLabel('Question').setTextInputComponent(text(FIELD.question, TextInputStyle.Short, QUESTION_MAX, true, draft.question, 'Should the code be open?')),
      new LabelBuilder()
        .setLabel('Answers, one per line')
        .setDescription(`${ANSWERS_MIN} to ${ANSWERS_MAX} answers, each up to ${ANSWER_MAX} characters`)
        .setTextInputComponent(text(FIELD.answers, TextInputStyle.Paragraph, ANSWERS_INPUT_MAX, true, draft.answers, 'Yes\nNo\nNot sure')),
      new LabelBuilder()
        .setLabel('Duration')
        .setDescription('How long it runs: 90m, 12h, 7d (1 minute to 32 days). Empty: 24h')
        .setTextInputComponent(text(FIELD.duration, TextInputStyle.Short, 20, false, draft.duration, '24h')),
      new LabelBuilder().setLabel('Answers each member may pick').setStringSelectMenuComponent(picks),
      new LabelBuilder().setLabel('Settings').setCheckboxGroupComponent({
        type: ComponentType.CheckboxGroup,
        custom_id: FIELD.settings,
        min_values: 0,
        max_values: 2,
        required: false,
        options: [
          { value: SETTING.hide, label: 'Hide results until the poll closes', default: draft.hideResults },
          { value: SETTING.change, label: 'Members can change or retract their vote', default: draft.allowChange },
        ],
      }),
    );
}

/** The private answer to a refused form: what to fix, and a button that shows the form again as it was typed. */
export function refusedFormMessage(problem: string) {
  return {
    content: `${problem}\n\nNothing was posted. Your form is kept for ${DRAFT_MINUTES} minutes: **Edit my poll** opens it again as you typed it.`,
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(EDIT_BUTTON_ID).setLabel('Edit my poll').setStyle(ButtonStyle.Primary))],
  };
}
