export const EVENT_KINDS = ['debate', 'interview', 'rally', 'press_conference', 'document', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const LIVE_STATES = ['scheduled', 'live', 'ended'] as const;
export type LiveState = (typeof LIVE_STATES)[number];

export function isEventKind(value: string): value is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(value);
}

/** A debate, interview, rally, press conference or document where candidates said what claims record. */
export interface Event {
  id: number;
  slug: string;
  election_id: number;
  kind: EventKind;
  name: string;
  /** Calendar date, YYYY-MM-DD. */
  held_on: string;
  /** Local start time, HH:MM:SS, when known. */
  starts_at: string | null;
  place: string | null;
  organiser: string | null;
  video_url: string | null;
  live_state: LiveState;
  live_started_at: Date | null;
  live_ended_at: Date | null;
  created_by: number | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type EventFields = Pick<
  Event,
  'election_id' | 'kind' | 'name' | 'held_on' | 'starts_at' | 'place' | 'organiser' | 'video_url'
>;
