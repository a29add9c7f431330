/**
 * The one ES module pages load (served as /chat.js). Defines each tag only if the page has not defined it
 * yet, so loading the bundle twice is harmless (shoelace `define`).
 */
import { ChatApp } from './components/chat-app.js';
import { ChatComposer } from './components/chat-composer.js';
import { ChatLauncher } from './components/chat-launcher.js';
import { ChatConversationBar } from './components/chat-conversation-bar.js';
import { ChatMemberList } from './components/chat-member-list.js';
import { ChatMessageList } from './components/chat-message-list.js';
import { ChatNamespaceDemo } from './components/chat-namespace-demo.js';
import { ChatNickForm } from './components/chat-nick-form.js';
import { ChatReportList } from './components/chat-report-list.js';
import { ChatRoomList } from './components/chat-room-list.js';
import { ChatStatus } from './components/chat-status.js';
import { ChatTypingIndicator } from './components/chat-typing-indicator.js';
import { NewsTicker } from './components/news-ticker.js';

const TAGS = {
  'chat-app': ChatApp,
  'chat-composer': ChatComposer,
  'chat-conversation-bar': ChatConversationBar,
  'chat-launcher': ChatLauncher,
  'chat-member-list': ChatMemberList,
  'chat-message-list': ChatMessageList,
  'chat-namespace-demo': ChatNamespaceDemo,
  'chat-nick-form': ChatNickForm,
  'chat-report-list': ChatReportList,
  'chat-room-list': ChatRoomList,
  'chat-status': ChatStatus,
  'chat-typing-indicator': ChatTypingIndicator,
  'news-ticker': NewsTicker,
} as const;

for (const [tag, element] of Object.entries(TAGS)) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

export {
  ChatApp,
  ChatComposer,
  ChatConversationBar,
  ChatLauncher,
  ChatMemberList,
  ChatMessageList,
  ChatNamespaceDemo,
  ChatNickForm,
  ChatReportList,
  ChatRoomList,
  ChatStatus,
  ChatTypingIndicator,
  NewsTicker,
};
export { sharedManager } from './connection/manager.js';
export { stringsFor, en, ar, type Strings } from './i18n/strings.js';
export type { ChatEventMap } from './events.js';
