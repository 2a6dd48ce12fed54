/**
 * The parts of the room that are not needed to show the list, in one chunk of their own: the
 * room loads it once its first rows are painted (`Deferred.svelte`). One module, not one
 * `import()` per part, so the bundler makes one chunk (and one stylesheet) for them all rather
 * than splitting their shared code into many small files the first screen would wait for.
 */
export { default as DetailHost } from './detail/DetailHost.svelte';
export { default as ExportMenu } from './io/ExportMenu.svelte';
export { default as FacilitatorBadge } from './poker/FacilitatorBadge.svelte';
export { default as HistoryDialog } from './history/HistoryDialog.svelte';
export { default as ImportDialog } from './io/ImportDialog.svelte';
export { default as MorePeople } from './MorePeople.svelte';
export { default as PokerPanel } from './poker/PokerPanel.svelte';
export { default as ChangeNameDialog } from './settings/ChangeNameDialog.svelte';
export { default as RenameRoomDialog } from './settings/RenameRoomDialog.svelte';
export { default as ShareDialog } from './ShareDialog.svelte';
export { default as ShortcutsDialog } from './ShortcutsDialog.svelte';
export { default as TrashDialog } from './trash/TrashDialog.svelte';
