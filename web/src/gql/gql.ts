/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation LogOut {\n    logOut\n  }\n": typeof types.LogOutDocument,
    "\n  fragment MessageFields on Message {\n    id\n    seq\n    body\n    senderType\n    createdAt\n    editedAt\n    editCount\n    removedAt\n    sender {\n      id\n      name\n    }\n    replyTo {\n      id\n      seq\n      body\n      senderType\n      removedAt\n      sender {\n        id\n        name\n      }\n    }\n    reactions {\n      emoji\n      count\n      viewerReacted\n    }\n    revisions {\n      body\n      editedAt\n    }\n    attachments {\n      type\n      url\n      name\n      mimeType\n      size\n      title\n    }\n    referral {\n      source\n      comment {\n        id\n        body\n      }\n      post {\n        id\n        body\n      }\n      ad {\n        title\n      }\n    }\n  }\n": typeof types.MessageFieldsFragmentDoc,
    "\n  query Conversation($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        canReply\n        replyWindowEndsAt\n        visitorLastReadAt\n        pageLastReadAt\n        unreadCount\n        visitor {\n          id\n          name\n        }\n        page {\n          id\n          name\n        }\n        messages(last: 50) {\n          edges {\n            node {\n              ...MessageFields\n            }\n          }\n          pageInfo {\n            hasPreviousPage\n            startCursor\n          }\n        }\n      }\n    }\n  }\n": typeof types.ConversationDocument,
    "\n  query EarlierMessages($id: ID!, $before: Cursor) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        messages(last: 50, before: $before) {\n          edges {\n            node {\n              ...MessageFields\n            }\n          }\n          pageInfo {\n            hasPreviousPage\n            startCursor\n          }\n        }\n      }\n    }\n  }\n": typeof types.EarlierMessagesDocument,
    "\n  subscription MessageStream($threadId: ID!, $after: Int) {\n    messageAdded(threadId: $threadId, after: $after) {\n      ...MessageFields\n    }\n  }\n": typeof types.MessageStreamDocument,
    "\n  subscription MessageChanges($threadId: ID!) {\n    messageUpdated(threadId: $threadId) {\n      ...MessageFields\n    }\n  }\n": typeof types.MessageChangesDocument,
    "\n  subscription TypingStream($threadId: ID!) {\n    typing(threadId: $threadId) {\n      typing\n      senderType\n      user {\n        id\n        name\n      }\n    }\n  }\n": typeof types.TypingStreamDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n      thread {\n        id\n        canReply\n        replyWindowEndsAt\n      }\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  mutation SendMessageToPage($input: SendMessageToPageInput!) {\n    sendMessageToPage(input: $input) {\n      message {\n        ...MessageFields\n      }\n      thread {\n        id\n        canReply\n      }\n    }\n  }\n": typeof types.SendMessageToPageDocument,
    "\n  mutation MarkThreadRead($threadId: ID!) {\n    markThreadRead(input: { threadId: $threadId }) {\n      thread {\n        id\n        unreadCount\n      }\n    }\n  }\n": typeof types.MarkThreadReadDocument,
    "\n  mutation SetTyping($threadId: ID!, $typing: Boolean!) {\n    setTyping(input: { threadId: $threadId, typing: $typing })\n  }\n": typeof types.SetTypingDocument,
    "\n  mutation ReactToMessage($input: ReactInput!) {\n    reactToMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n": typeof types.ReactToMessageDocument,
    "\n  mutation RemoveReaction($input: ReactInput!) {\n    removeReaction(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n": typeof types.RemoveReactionDocument,
    "\n  mutation EditMessage($input: EditMessageInput!) {\n    editMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n": typeof types.EditMessageDocument,
    "\n  mutation UnsendMessage($id: ID!) {\n    unsendMessage(input: { id: $id }) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n": typeof types.UnsendMessageDocument,
    "\n  fragment NoteFields on Note {\n    id\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n    mentions {\n      id\n      name\n      handle\n    }\n  }\n": typeof types.NoteFieldsFragmentDoc,
    "\n  mutation AddNote($input: AddNoteInput!) {\n    addNote(input: $input) {\n      note {\n        ...NoteFields\n      }\n    }\n  }\n": typeof types.AddNoteDocument,
    "\n  query PushState {\n    vapidPublicKey\n    viewer {\n      id\n      pushSubscriptions {\n        id\n        endpoint\n      }\n    }\n  }\n": typeof types.PushStateDocument,
    "\n  mutation RegisterPush($i: RegisterPushSubscriptionInput!) {\n    registerPushSubscription(input: $i) {\n      pushSubscription {\n        id\n        endpoint\n      }\n    }\n  }\n": typeof types.RegisterPushDocument,
    "\n  mutation UnregisterPush($i: NodeRefInput!) {\n    unregisterPushSubscription(input: $i) {\n      deletedId\n    }\n  }\n": typeof types.UnregisterPushDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      handle\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      token\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  query Home {\n    viewer {\n      id\n      name\n      handle\n      unreadThreadCount\n      threads(first: 50) {\n        edges {\n          node {\n            id\n            kind\n            title\n            snippet\n            lastMessageAt\n            unreadCount\n            page {\n              id\n              name\n              handle\n            }\n          }\n        }\n      }\n      managedPages {\n        id\n        role\n        page {\n          id\n          name\n          handle\n          unreadThreadCount\n        }\n      }\n      blockedPages {\n        id\n        name\n        handle\n      }\n    }\n  }\n": typeof types.HomeDocument,
    "\n  subscription Notifications {\n    notificationAdded {\n      id\n      kind\n    }\n  }\n": typeof types.NotificationsDocument,
    "\n  mutation CreatePage($input: CreatePageInput!) {\n    createPage(input: $input) {\n      page {\n        id\n        handle\n      }\n    }\n  }\n": typeof types.CreatePageDocument,
    "\n  query FindPages($search: String) {\n    pages(first: 20, search: $search) {\n      edges {\n        node {\n          id\n          name\n          handle\n          about\n        }\n      }\n    }\n  }\n": typeof types.FindPagesDocument,
    "\n  mutation UnblockPage($pageId: ID!) {\n    unblockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n      }\n    }\n  }\n": typeof types.UnblockPageDocument,
    "\n  fragment ThreadRow on Thread {\n    id\n    kind\n    title\n    snippet\n    lastMessageAt\n    unreadCount\n    status\n    labels\n    priority\n    snoozedUntil\n    waitingSince\n    viewers {\n      id\n      name\n    }\n    assignee {\n      id\n      name\n    }\n    visitor {\n      id\n      name\n      handle\n    }\n  }\n": typeof types.ThreadRowFragmentDoc,
    "\n  query InboxPage($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      viewerRole\n      unreadThreadCount\n      members {\n        id\n        role\n        user {\n          id\n          name\n          handle\n        }\n      }\n      savedReplies {\n        id\n        shortcut\n        title\n        body\n      }\n    }\n  }\n": typeof types.InboxPageDocument,
    "\n  query InboxThreads($handle: String!, $first: Int!, $after: Cursor, $filter: ThreadFilter) {\n    page(handle: $handle) {\n      id\n      threads(first: $first, after: $after, filter: $filter) {\n        edges {\n          node {\n            ...ThreadRow\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.InboxThreadsDocument,
    "\n  subscription InboxEvents($pageId: ID!) {\n    inboxEvent(pageId: $pageId) {\n      kind\n      thread {\n        ...ThreadRow\n      }\n      note {\n        ...NoteFields\n      }\n    }\n  }\n": typeof types.InboxEventsDocument,
    "\n  mutation UpdateThread($input: UpdateThreadInput!) {\n    updateThread(input: $input) {\n      thread {\n        ...ThreadRow\n      }\n    }\n  }\n": typeof types.UpdateThreadDocument,
    "\n  mutation BlockUser($pageId: ID!, $userId: ID!) {\n    blockUser(input: { pageId: $pageId, userId: $userId }) {\n      page {\n        id\n      }\n    }\n  }\n": typeof types.BlockUserDocument,
    "\n  query OneThread($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        ...ThreadRow\n      }\n    }\n  }\n": typeof types.OneThreadDocument,
    "\n  query ThreadNotes($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        notes(first: 100) {\n          edges {\n            node {\n              ...NoteFields\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ThreadNotesDocument,
    "\n  mutation SetViewing($threadId: ID!, $viewing: Boolean!) {\n    setViewing(input: { threadId: $threadId, viewing: $viewing })\n  }\n": typeof types.SetViewingDocument,
    "\n  query OpenThread($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        page {\n          id\n          handle\n          viewerRole\n        }\n      }\n    }\n  }\n": typeof types.OpenThreadDocument,
    "\n  query PageView($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      about\n      messagingEnabled\n      acceptingMessages\n      awayMessage\n      timeZone\n      availability {\n        weekday\n        startMinute\n        endMinute\n      }\n      viewerRole\n      viewerCanMessage\n      viewerHasBlocked\n      viewerThread {\n        id\n      }\n      responsiveness {\n        veryResponsive\n        responseRate\n        medianResponseSeconds\n      }\n      posts(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            body\n            createdAt\n            commentCount\n            comments(first: 50) {\n              edges {\n                node {\n                  id\n                  body\n                  hidden\n                  createdAt\n                  repliedPrivately\n                  viewerCanReplyPrivately\n                  author {\n                    id\n                    name\n                  }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.PageViewDocument,
    "\n  fragment CommentFields on Comment {\n    id\n    body\n    hidden\n    createdAt\n    repliedPrivately\n    viewerCanReplyPrivately\n    author {\n      id\n      name\n    }\n  }\n": typeof types.CommentFieldsFragmentDoc,
    "\n  mutation BlockPage($pageId: ID!) {\n    blockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n        viewerCanMessage\n      }\n    }\n  }\n": typeof types.BlockPageDocument,
    "\n  mutation UnblockThisPage($pageId: ID!) {\n    unblockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n        viewerCanMessage\n      }\n    }\n  }\n": typeof types.UnblockThisPageDocument,
    "\n  mutation CreateComment($postId: ID!, $body: String!) {\n    createComment(input: { postId: $postId, body: $body }) {\n      comment {\n        id\n      }\n    }\n  }\n": typeof types.CreateCommentDocument,
    "\n  mutation CreatePost($pageId: ID!, $body: String!) {\n    createPost(input: { pageId: $pageId, body: $body }) {\n      post {\n        id\n      }\n    }\n  }\n": typeof types.CreatePostDocument,
    "\n  mutation ReplyPrivately($input: ReplyPrivatelyInput!) {\n    replyPrivatelyToComment(input: $input) {\n      thread {\n        id\n      }\n    }\n  }\n": typeof types.ReplyPrivatelyDocument,
    "\n  mutation HideComment($commentId: ID!, $hidden: Boolean!) {\n    hideComment(input: { commentId: $commentId, hidden: $hidden }) {\n      comment {\n        id\n        hidden\n        body\n      }\n    }\n  }\n": typeof types.HideCommentDocument,
    "\n  query PageSettings($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      about\n      viewerRole\n      messagingEnabled\n      acceptingMessages\n      awayMessage\n      timeZone\n      availability {\n        weekday\n        startMinute\n        endMinute\n      }\n      responsiveness {\n        requests\n        answered\n        responseRate\n        medianResponseSeconds\n        veryResponsive\n        windowStart\n        windowEnd\n      }\n      members {\n        id\n        role\n        user {\n          id\n          name\n          handle\n        }\n      }\n      savedReplies {\n        id\n        shortcut\n        title\n        body\n      }\n      blockedUsers {\n        id\n        name\n        handle\n      }\n    }\n    viewer {\n      id\n    }\n  }\n": typeof types.PageSettingsDocument,
    "\n  mutation UpdatePage($input: UpdatePageInput!) {\n    updatePage(input: $input) {\n      page {\n        id\n        name\n        about\n        messagingEnabled\n        acceptingMessages\n        awayMessage\n        timeZone\n        availability {\n          weekday\n          startMinute\n          endMinute\n        }\n      }\n    }\n  }\n": typeof types.UpdatePageDocument,
    "\n  mutation SetPageRole($input: SetPageRoleInput!) {\n    setPageRole(input: $input) {\n      page {\n        id\n      }\n    }\n  }\n": typeof types.SetPageRoleDocument,
    "\n  mutation CreateSavedReply($input: CreateSavedReplyInput!) {\n    createSavedReply(input: $input) {\n      savedReply {\n        id\n      }\n    }\n  }\n": typeof types.CreateSavedReplyDocument,
    "\n  mutation DeleteSavedReply($id: ID!) {\n    deleteSavedReply(input: { id: $id }) {\n      deletedId\n    }\n  }\n": typeof types.DeleteSavedReplyDocument,
    "\n  mutation UnblockUser($pageId: ID!, $userId: ID!) {\n    unblockUser(input: { pageId: $pageId, userId: $userId }) {\n      page {\n        id\n      }\n    }\n  }\n": typeof types.UnblockUserDocument,
};
const documents: Documents = {
    "\n  mutation LogOut {\n    logOut\n  }\n": types.LogOutDocument,
    "\n  fragment MessageFields on Message {\n    id\n    seq\n    body\n    senderType\n    createdAt\n    editedAt\n    editCount\n    removedAt\n    sender {\n      id\n      name\n    }\n    replyTo {\n      id\n      seq\n      body\n      senderType\n      removedAt\n      sender {\n        id\n        name\n      }\n    }\n    reactions {\n      emoji\n      count\n      viewerReacted\n    }\n    revisions {\n      body\n      editedAt\n    }\n    attachments {\n      type\n      url\n      name\n      mimeType\n      size\n      title\n    }\n    referral {\n      source\n      comment {\n        id\n        body\n      }\n      post {\n        id\n        body\n      }\n      ad {\n        title\n      }\n    }\n  }\n": types.MessageFieldsFragmentDoc,
    "\n  query Conversation($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        canReply\n        replyWindowEndsAt\n        visitorLastReadAt\n        pageLastReadAt\n        unreadCount\n        visitor {\n          id\n          name\n        }\n        page {\n          id\n          name\n        }\n        messages(last: 50) {\n          edges {\n            node {\n              ...MessageFields\n            }\n          }\n          pageInfo {\n            hasPreviousPage\n            startCursor\n          }\n        }\n      }\n    }\n  }\n": types.ConversationDocument,
    "\n  query EarlierMessages($id: ID!, $before: Cursor) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        messages(last: 50, before: $before) {\n          edges {\n            node {\n              ...MessageFields\n            }\n          }\n          pageInfo {\n            hasPreviousPage\n            startCursor\n          }\n        }\n      }\n    }\n  }\n": types.EarlierMessagesDocument,
    "\n  subscription MessageStream($threadId: ID!, $after: Int) {\n    messageAdded(threadId: $threadId, after: $after) {\n      ...MessageFields\n    }\n  }\n": types.MessageStreamDocument,
    "\n  subscription MessageChanges($threadId: ID!) {\n    messageUpdated(threadId: $threadId) {\n      ...MessageFields\n    }\n  }\n": types.MessageChangesDocument,
    "\n  subscription TypingStream($threadId: ID!) {\n    typing(threadId: $threadId) {\n      typing\n      senderType\n      user {\n        id\n        name\n      }\n    }\n  }\n": types.TypingStreamDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n      thread {\n        id\n        canReply\n        replyWindowEndsAt\n      }\n    }\n  }\n": types.SendMessageDocument,
    "\n  mutation SendMessageToPage($input: SendMessageToPageInput!) {\n    sendMessageToPage(input: $input) {\n      message {\n        ...MessageFields\n      }\n      thread {\n        id\n        canReply\n      }\n    }\n  }\n": types.SendMessageToPageDocument,
    "\n  mutation MarkThreadRead($threadId: ID!) {\n    markThreadRead(input: { threadId: $threadId }) {\n      thread {\n        id\n        unreadCount\n      }\n    }\n  }\n": types.MarkThreadReadDocument,
    "\n  mutation SetTyping($threadId: ID!, $typing: Boolean!) {\n    setTyping(input: { threadId: $threadId, typing: $typing })\n  }\n": types.SetTypingDocument,
    "\n  mutation ReactToMessage($input: ReactInput!) {\n    reactToMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n": types.ReactToMessageDocument,
    "\n  mutation RemoveReaction($input: ReactInput!) {\n    removeReaction(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n": types.RemoveReactionDocument,
    "\n  mutation EditMessage($input: EditMessageInput!) {\n    editMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n": types.EditMessageDocument,
    "\n  mutation UnsendMessage($id: ID!) {\n    unsendMessage(input: { id: $id }) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n": types.UnsendMessageDocument,
    "\n  fragment NoteFields on Note {\n    id\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n    mentions {\n      id\n      name\n      handle\n    }\n  }\n": types.NoteFieldsFragmentDoc,
    "\n  mutation AddNote($input: AddNoteInput!) {\n    addNote(input: $input) {\n      note {\n        ...NoteFields\n      }\n    }\n  }\n": types.AddNoteDocument,
    "\n  query PushState {\n    vapidPublicKey\n    viewer {\n      id\n      pushSubscriptions {\n        id\n        endpoint\n      }\n    }\n  }\n": types.PushStateDocument,
    "\n  mutation RegisterPush($i: RegisterPushSubscriptionInput!) {\n    registerPushSubscription(input: $i) {\n      pushSubscription {\n        id\n        endpoint\n      }\n    }\n  }\n": types.RegisterPushDocument,
    "\n  mutation UnregisterPush($i: NodeRefInput!) {\n    unregisterPushSubscription(input: $i) {\n      deletedId\n    }\n  }\n": types.UnregisterPushDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      handle\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      token\n    }\n  }\n": types.LogInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n": types.SignUpDocument,
    "\n  query Home {\n    viewer {\n      id\n      name\n      handle\n      unreadThreadCount\n      threads(first: 50) {\n        edges {\n          node {\n            id\n            kind\n            title\n            snippet\n            lastMessageAt\n            unreadCount\n            page {\n              id\n              name\n              handle\n            }\n          }\n        }\n      }\n      managedPages {\n        id\n        role\n        page {\n          id\n          name\n          handle\n          unreadThreadCount\n        }\n      }\n      blockedPages {\n        id\n        name\n        handle\n      }\n    }\n  }\n": types.HomeDocument,
    "\n  subscription Notifications {\n    notificationAdded {\n      id\n      kind\n    }\n  }\n": types.NotificationsDocument,
    "\n  mutation CreatePage($input: CreatePageInput!) {\n    createPage(input: $input) {\n      page {\n        id\n        handle\n      }\n    }\n  }\n": types.CreatePageDocument,
    "\n  query FindPages($search: String) {\n    pages(first: 20, search: $search) {\n      edges {\n        node {\n          id\n          name\n          handle\n          about\n        }\n      }\n    }\n  }\n": types.FindPagesDocument,
    "\n  mutation UnblockPage($pageId: ID!) {\n    unblockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n      }\n    }\n  }\n": types.UnblockPageDocument,
    "\n  fragment ThreadRow on Thread {\n    id\n    kind\n    title\n    snippet\n    lastMessageAt\n    unreadCount\n    status\n    labels\n    priority\n    snoozedUntil\n    waitingSince\n    viewers {\n      id\n      name\n    }\n    assignee {\n      id\n      name\n    }\n    visitor {\n      id\n      name\n      handle\n    }\n  }\n": types.ThreadRowFragmentDoc,
    "\n  query InboxPage($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      viewerRole\n      unreadThreadCount\n      members {\n        id\n        role\n        user {\n          id\n          name\n          handle\n        }\n      }\n      savedReplies {\n        id\n        shortcut\n        title\n        body\n      }\n    }\n  }\n": types.InboxPageDocument,
    "\n  query InboxThreads($handle: String!, $first: Int!, $after: Cursor, $filter: ThreadFilter) {\n    page(handle: $handle) {\n      id\n      threads(first: $first, after: $after, filter: $filter) {\n        edges {\n          node {\n            ...ThreadRow\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.InboxThreadsDocument,
    "\n  subscription InboxEvents($pageId: ID!) {\n    inboxEvent(pageId: $pageId) {\n      kind\n      thread {\n        ...ThreadRow\n      }\n      note {\n        ...NoteFields\n      }\n    }\n  }\n": types.InboxEventsDocument,
    "\n  mutation UpdateThread($input: UpdateThreadInput!) {\n    updateThread(input: $input) {\n      thread {\n        ...ThreadRow\n      }\n    }\n  }\n": types.UpdateThreadDocument,
    "\n  mutation BlockUser($pageId: ID!, $userId: ID!) {\n    blockUser(input: { pageId: $pageId, userId: $userId }) {\n      page {\n        id\n      }\n    }\n  }\n": types.BlockUserDocument,
    "\n  query OneThread($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        ...ThreadRow\n      }\n    }\n  }\n": types.OneThreadDocument,
    "\n  query ThreadNotes($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        notes(first: 100) {\n          edges {\n            node {\n              ...NoteFields\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ThreadNotesDocument,
    "\n  mutation SetViewing($threadId: ID!, $viewing: Boolean!) {\n    setViewing(input: { threadId: $threadId, viewing: $viewing })\n  }\n": types.SetViewingDocument,
    "\n  query OpenThread($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        page {\n          id\n          handle\n          viewerRole\n        }\n      }\n    }\n  }\n": types.OpenThreadDocument,
    "\n  query PageView($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      about\n      messagingEnabled\n      acceptingMessages\n      awayMessage\n      timeZone\n      availability {\n        weekday\n        startMinute\n        endMinute\n      }\n      viewerRole\n      viewerCanMessage\n      viewerHasBlocked\n      viewerThread {\n        id\n      }\n      responsiveness {\n        veryResponsive\n        responseRate\n        medianResponseSeconds\n      }\n      posts(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            body\n            createdAt\n            commentCount\n            comments(first: 50) {\n              edges {\n                node {\n                  id\n                  body\n                  hidden\n                  createdAt\n                  repliedPrivately\n                  viewerCanReplyPrivately\n                  author {\n                    id\n                    name\n                  }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.PageViewDocument,
    "\n  fragment CommentFields on Comment {\n    id\n    body\n    hidden\n    createdAt\n    repliedPrivately\n    viewerCanReplyPrivately\n    author {\n      id\n      name\n    }\n  }\n": types.CommentFieldsFragmentDoc,
    "\n  mutation BlockPage($pageId: ID!) {\n    blockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n        viewerCanMessage\n      }\n    }\n  }\n": types.BlockPageDocument,
    "\n  mutation UnblockThisPage($pageId: ID!) {\n    unblockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n        viewerCanMessage\n      }\n    }\n  }\n": types.UnblockThisPageDocument,
    "\n  mutation CreateComment($postId: ID!, $body: String!) {\n    createComment(input: { postId: $postId, body: $body }) {\n      comment {\n        id\n      }\n    }\n  }\n": types.CreateCommentDocument,
    "\n  mutation CreatePost($pageId: ID!, $body: String!) {\n    createPost(input: { pageId: $pageId, body: $body }) {\n      post {\n        id\n      }\n    }\n  }\n": types.CreatePostDocument,
    "\n  mutation ReplyPrivately($input: ReplyPrivatelyInput!) {\n    replyPrivatelyToComment(input: $input) {\n      thread {\n        id\n      }\n    }\n  }\n": types.ReplyPrivatelyDocument,
    "\n  mutation HideComment($commentId: ID!, $hidden: Boolean!) {\n    hideComment(input: { commentId: $commentId, hidden: $hidden }) {\n      comment {\n        id\n        hidden\n        body\n      }\n    }\n  }\n": types.HideCommentDocument,
    "\n  query PageSettings($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      about\n      viewerRole\n      messagingEnabled\n      acceptingMessages\n      awayMessage\n      timeZone\n      availability {\n        weekday\n        startMinute\n        endMinute\n      }\n      responsiveness {\n        requests\n        answered\n        responseRate\n        medianResponseSeconds\n        veryResponsive\n        windowStart\n        windowEnd\n      }\n      members {\n        id\n        role\n        user {\n          id\n          name\n          handle\n        }\n      }\n      savedReplies {\n        id\n        shortcut\n        title\n        body\n      }\n      blockedUsers {\n        id\n        name\n        handle\n      }\n    }\n    viewer {\n      id\n    }\n  }\n": types.PageSettingsDocument,
    "\n  mutation UpdatePage($input: UpdatePageInput!) {\n    updatePage(input: $input) {\n      page {\n        id\n        name\n        about\n        messagingEnabled\n        acceptingMessages\n        awayMessage\n        timeZone\n        availability {\n          weekday\n          startMinute\n          endMinute\n        }\n      }\n    }\n  }\n": types.UpdatePageDocument,
    "\n  mutation SetPageRole($input: SetPageRoleInput!) {\n    setPageRole(input: $input) {\n      page {\n        id\n      }\n    }\n  }\n": types.SetPageRoleDocument,
    "\n  mutation CreateSavedReply($input: CreateSavedReplyInput!) {\n    createSavedReply(input: $input) {\n      savedReply {\n        id\n      }\n    }\n  }\n": types.CreateSavedReplyDocument,
    "\n  mutation DeleteSavedReply($id: ID!) {\n    deleteSavedReply(input: { id: $id }) {\n      deletedId\n    }\n  }\n": types.DeleteSavedReplyDocument,
    "\n  mutation UnblockUser($pageId: ID!, $userId: ID!) {\n    unblockUser(input: { pageId: $pageId, userId: $userId }) {\n      page {\n        id\n      }\n    }\n  }\n": types.UnblockUserDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOut {\n    logOut\n  }\n"): (typeof documents)["\n  mutation LogOut {\n    logOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageFields on Message {\n    id\n    seq\n    body\n    senderType\n    createdAt\n    editedAt\n    editCount\n    removedAt\n    sender {\n      id\n      name\n    }\n    replyTo {\n      id\n      seq\n      body\n      senderType\n      removedAt\n      sender {\n        id\n        name\n      }\n    }\n    reactions {\n      emoji\n      count\n      viewerReacted\n    }\n    revisions {\n      body\n      editedAt\n    }\n    attachments {\n      type\n      url\n      name\n      mimeType\n      size\n      title\n    }\n    referral {\n      source\n      comment {\n        id\n        body\n      }\n      post {\n        id\n        body\n      }\n      ad {\n        title\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment MessageFields on Message {\n    id\n    seq\n    body\n    senderType\n    createdAt\n    editedAt\n    editCount\n    removedAt\n    sender {\n      id\n      name\n    }\n    replyTo {\n      id\n      seq\n      body\n      senderType\n      removedAt\n      sender {\n        id\n        name\n      }\n    }\n    reactions {\n      emoji\n      count\n      viewerReacted\n    }\n    revisions {\n      body\n      editedAt\n    }\n    attachments {\n      type\n      url\n      name\n      mimeType\n      size\n      title\n    }\n    referral {\n      source\n      comment {\n        id\n        body\n      }\n      post {\n        id\n        body\n      }\n      ad {\n        title\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversation($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        canReply\n        replyWindowEndsAt\n        visitorLastReadAt\n        pageLastReadAt\n        unreadCount\n        visitor {\n          id\n          name\n        }\n        page {\n          id\n          name\n        }\n        messages(last: 50) {\n          edges {\n            node {\n              ...MessageFields\n            }\n          }\n          pageInfo {\n            hasPreviousPage\n            startCursor\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Conversation($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        canReply\n        replyWindowEndsAt\n        visitorLastReadAt\n        pageLastReadAt\n        unreadCount\n        visitor {\n          id\n          name\n        }\n        page {\n          id\n          name\n        }\n        messages(last: 50) {\n          edges {\n            node {\n              ...MessageFields\n            }\n          }\n          pageInfo {\n            hasPreviousPage\n            startCursor\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EarlierMessages($id: ID!, $before: Cursor) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        messages(last: 50, before: $before) {\n          edges {\n            node {\n              ...MessageFields\n            }\n          }\n          pageInfo {\n            hasPreviousPage\n            startCursor\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query EarlierMessages($id: ID!, $before: Cursor) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        messages(last: 50, before: $before) {\n          edges {\n            node {\n              ...MessageFields\n            }\n          }\n          pageInfo {\n            hasPreviousPage\n            startCursor\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageStream($threadId: ID!, $after: Int) {\n    messageAdded(threadId: $threadId, after: $after) {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  subscription MessageStream($threadId: ID!, $after: Int) {\n    messageAdded(threadId: $threadId, after: $after) {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageChanges($threadId: ID!) {\n    messageUpdated(threadId: $threadId) {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  subscription MessageChanges($threadId: ID!) {\n    messageUpdated(threadId: $threadId) {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TypingStream($threadId: ID!) {\n    typing(threadId: $threadId) {\n      typing\n      senderType\n      user {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription TypingStream($threadId: ID!) {\n    typing(threadId: $threadId) {\n      typing\n      senderType\n      user {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n      thread {\n        id\n        canReply\n        replyWindowEndsAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n      thread {\n        id\n        canReply\n        replyWindowEndsAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessageToPage($input: SendMessageToPageInput!) {\n    sendMessageToPage(input: $input) {\n      message {\n        ...MessageFields\n      }\n      thread {\n        id\n        canReply\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessageToPage($input: SendMessageToPageInput!) {\n    sendMessageToPage(input: $input) {\n      message {\n        ...MessageFields\n      }\n      thread {\n        id\n        canReply\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkThreadRead($threadId: ID!) {\n    markThreadRead(input: { threadId: $threadId }) {\n      thread {\n        id\n        unreadCount\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation MarkThreadRead($threadId: ID!) {\n    markThreadRead(input: { threadId: $threadId }) {\n      thread {\n        id\n        unreadCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTyping($threadId: ID!, $typing: Boolean!) {\n    setTyping(input: { threadId: $threadId, typing: $typing })\n  }\n"): (typeof documents)["\n  mutation SetTyping($threadId: ID!, $typing: Boolean!) {\n    setTyping(input: { threadId: $threadId, typing: $typing })\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReactToMessage($input: ReactInput!) {\n    reactToMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ReactToMessage($input: ReactInput!) {\n    reactToMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveReaction($input: ReactInput!) {\n    removeReaction(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveReaction($input: ReactInput!) {\n    removeReaction(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EditMessage($input: EditMessageInput!) {\n    editMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation EditMessage($input: EditMessageInput!) {\n    editMessage(input: $input) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnsendMessage($id: ID!) {\n    unsendMessage(input: { id: $id }) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UnsendMessage($id: ID!) {\n    unsendMessage(input: { id: $id }) {\n      message {\n        ...MessageFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NoteFields on Note {\n    id\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n    mentions {\n      id\n      name\n      handle\n    }\n  }\n"): (typeof documents)["\n  fragment NoteFields on Note {\n    id\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n    mentions {\n      id\n      name\n      handle\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddNote($input: AddNoteInput!) {\n    addNote(input: $input) {\n      note {\n        ...NoteFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddNote($input: AddNoteInput!) {\n    addNote(input: $input) {\n      note {\n        ...NoteFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PushState {\n    vapidPublicKey\n    viewer {\n      id\n      pushSubscriptions {\n        id\n        endpoint\n      }\n    }\n  }\n"): (typeof documents)["\n  query PushState {\n    vapidPublicKey\n    viewer {\n      id\n      pushSubscriptions {\n        id\n        endpoint\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterPush($i: RegisterPushSubscriptionInput!) {\n    registerPushSubscription(input: $i) {\n      pushSubscription {\n        id\n        endpoint\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RegisterPush($i: RegisterPushSubscriptionInput!) {\n    registerPushSubscription(input: $i) {\n      pushSubscription {\n        id\n        endpoint\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnregisterPush($i: NodeRefInput!) {\n    unregisterPushSubscription(input: $i) {\n      deletedId\n    }\n  }\n"): (typeof documents)["\n  mutation UnregisterPush($i: NodeRefInput!) {\n    unregisterPushSubscription(input: $i) {\n      deletedId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      name\n      handle\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      name\n      handle\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Home {\n    viewer {\n      id\n      name\n      handle\n      unreadThreadCount\n      threads(first: 50) {\n        edges {\n          node {\n            id\n            kind\n            title\n            snippet\n            lastMessageAt\n            unreadCount\n            page {\n              id\n              name\n              handle\n            }\n          }\n        }\n      }\n      managedPages {\n        id\n        role\n        page {\n          id\n          name\n          handle\n          unreadThreadCount\n        }\n      }\n      blockedPages {\n        id\n        name\n        handle\n      }\n    }\n  }\n"): (typeof documents)["\n  query Home {\n    viewer {\n      id\n      name\n      handle\n      unreadThreadCount\n      threads(first: 50) {\n        edges {\n          node {\n            id\n            kind\n            title\n            snippet\n            lastMessageAt\n            unreadCount\n            page {\n              id\n              name\n              handle\n            }\n          }\n        }\n      }\n      managedPages {\n        id\n        role\n        page {\n          id\n          name\n          handle\n          unreadThreadCount\n        }\n      }\n      blockedPages {\n        id\n        name\n        handle\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Notifications {\n    notificationAdded {\n      id\n      kind\n    }\n  }\n"): (typeof documents)["\n  subscription Notifications {\n    notificationAdded {\n      id\n      kind\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePage($input: CreatePageInput!) {\n    createPage(input: $input) {\n      page {\n        id\n        handle\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePage($input: CreatePageInput!) {\n    createPage(input: $input) {\n      page {\n        id\n        handle\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FindPages($search: String) {\n    pages(first: 20, search: $search) {\n      edges {\n        node {\n          id\n          name\n          handle\n          about\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FindPages($search: String) {\n    pages(first: 20, search: $search) {\n      edges {\n        node {\n          id\n          name\n          handle\n          about\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnblockPage($pageId: ID!) {\n    unblockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UnblockPage($pageId: ID!) {\n    unblockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ThreadRow on Thread {\n    id\n    kind\n    title\n    snippet\n    lastMessageAt\n    unreadCount\n    status\n    labels\n    priority\n    snoozedUntil\n    waitingSince\n    viewers {\n      id\n      name\n    }\n    assignee {\n      id\n      name\n    }\n    visitor {\n      id\n      name\n      handle\n    }\n  }\n"): (typeof documents)["\n  fragment ThreadRow on Thread {\n    id\n    kind\n    title\n    snippet\n    lastMessageAt\n    unreadCount\n    status\n    labels\n    priority\n    snoozedUntil\n    waitingSince\n    viewers {\n      id\n      name\n    }\n    assignee {\n      id\n      name\n    }\n    visitor {\n      id\n      name\n      handle\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxPage($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      viewerRole\n      unreadThreadCount\n      members {\n        id\n        role\n        user {\n          id\n          name\n          handle\n        }\n      }\n      savedReplies {\n        id\n        shortcut\n        title\n        body\n      }\n    }\n  }\n"): (typeof documents)["\n  query InboxPage($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      viewerRole\n      unreadThreadCount\n      members {\n        id\n        role\n        user {\n          id\n          name\n          handle\n        }\n      }\n      savedReplies {\n        id\n        shortcut\n        title\n        body\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxThreads($handle: String!, $first: Int!, $after: Cursor, $filter: ThreadFilter) {\n    page(handle: $handle) {\n      id\n      threads(first: $first, after: $after, filter: $filter) {\n        edges {\n          node {\n            ...ThreadRow\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query InboxThreads($handle: String!, $first: Int!, $after: Cursor, $filter: ThreadFilter) {\n    page(handle: $handle) {\n      id\n      threads(first: $first, after: $after, filter: $filter) {\n        edges {\n          node {\n            ...ThreadRow\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InboxEvents($pageId: ID!) {\n    inboxEvent(pageId: $pageId) {\n      kind\n      thread {\n        ...ThreadRow\n      }\n      note {\n        ...NoteFields\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription InboxEvents($pageId: ID!) {\n    inboxEvent(pageId: $pageId) {\n      kind\n      thread {\n        ...ThreadRow\n      }\n      note {\n        ...NoteFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateThread($input: UpdateThreadInput!) {\n    updateThread(input: $input) {\n      thread {\n        ...ThreadRow\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateThread($input: UpdateThreadInput!) {\n    updateThread(input: $input) {\n      thread {\n        ...ThreadRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BlockUser($pageId: ID!, $userId: ID!) {\n    blockUser(input: { pageId: $pageId, userId: $userId }) {\n      page {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation BlockUser($pageId: ID!, $userId: ID!) {\n    blockUser(input: { pageId: $pageId, userId: $userId }) {\n      page {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OneThread($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        ...ThreadRow\n      }\n    }\n  }\n"): (typeof documents)["\n  query OneThread($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        ...ThreadRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ThreadNotes($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        notes(first: 100) {\n          edges {\n            node {\n              ...NoteFields\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ThreadNotes($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        notes(first: 100) {\n          edges {\n            node {\n              ...NoteFields\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetViewing($threadId: ID!, $viewing: Boolean!) {\n    setViewing(input: { threadId: $threadId, viewing: $viewing })\n  }\n"): (typeof documents)["\n  mutation SetViewing($threadId: ID!, $viewing: Boolean!) {\n    setViewing(input: { threadId: $threadId, viewing: $viewing })\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpenThread($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        page {\n          id\n          handle\n          viewerRole\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OpenThread($id: ID!) {\n    node(id: $id) {\n      ... on Thread {\n        id\n        page {\n          id\n          handle\n          viewerRole\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PageView($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      about\n      messagingEnabled\n      acceptingMessages\n      awayMessage\n      timeZone\n      availability {\n        weekday\n        startMinute\n        endMinute\n      }\n      viewerRole\n      viewerCanMessage\n      viewerHasBlocked\n      viewerThread {\n        id\n      }\n      responsiveness {\n        veryResponsive\n        responseRate\n        medianResponseSeconds\n      }\n      posts(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            body\n            createdAt\n            commentCount\n            comments(first: 50) {\n              edges {\n                node {\n                  id\n                  body\n                  hidden\n                  createdAt\n                  repliedPrivately\n                  viewerCanReplyPrivately\n                  author {\n                    id\n                    name\n                  }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PageView($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      about\n      messagingEnabled\n      acceptingMessages\n      awayMessage\n      timeZone\n      availability {\n        weekday\n        startMinute\n        endMinute\n      }\n      viewerRole\n      viewerCanMessage\n      viewerHasBlocked\n      viewerThread {\n        id\n      }\n      responsiveness {\n        veryResponsive\n        responseRate\n        medianResponseSeconds\n      }\n      posts(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            body\n            createdAt\n            commentCount\n            comments(first: 50) {\n              edges {\n                node {\n                  id\n                  body\n                  hidden\n                  createdAt\n                  repliedPrivately\n                  viewerCanReplyPrivately\n                  author {\n                    id\n                    name\n                  }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CommentFields on Comment {\n    id\n    body\n    hidden\n    createdAt\n    repliedPrivately\n    viewerCanReplyPrivately\n    author {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment CommentFields on Comment {\n    id\n    body\n    hidden\n    createdAt\n    repliedPrivately\n    viewerCanReplyPrivately\n    author {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BlockPage($pageId: ID!) {\n    blockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n        viewerCanMessage\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation BlockPage($pageId: ID!) {\n    blockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n        viewerCanMessage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnblockThisPage($pageId: ID!) {\n    unblockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n        viewerCanMessage\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UnblockThisPage($pageId: ID!) {\n    unblockPage(input: { pageId: $pageId }) {\n      page {\n        id\n        viewerHasBlocked\n        viewerCanMessage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateComment($postId: ID!, $body: String!) {\n    createComment(input: { postId: $postId, body: $body }) {\n      comment {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateComment($postId: ID!, $body: String!) {\n    createComment(input: { postId: $postId, body: $body }) {\n      comment {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePost($pageId: ID!, $body: String!) {\n    createPost(input: { pageId: $pageId, body: $body }) {\n      post {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePost($pageId: ID!, $body: String!) {\n    createPost(input: { pageId: $pageId, body: $body }) {\n      post {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReplyPrivately($input: ReplyPrivatelyInput!) {\n    replyPrivatelyToComment(input: $input) {\n      thread {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ReplyPrivately($input: ReplyPrivatelyInput!) {\n    replyPrivatelyToComment(input: $input) {\n      thread {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HideComment($commentId: ID!, $hidden: Boolean!) {\n    hideComment(input: { commentId: $commentId, hidden: $hidden }) {\n      comment {\n        id\n        hidden\n        body\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation HideComment($commentId: ID!, $hidden: Boolean!) {\n    hideComment(input: { commentId: $commentId, hidden: $hidden }) {\n      comment {\n        id\n        hidden\n        body\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PageSettings($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      about\n      viewerRole\n      messagingEnabled\n      acceptingMessages\n      awayMessage\n      timeZone\n      availability {\n        weekday\n        startMinute\n        endMinute\n      }\n      responsiveness {\n        requests\n        answered\n        responseRate\n        medianResponseSeconds\n        veryResponsive\n        windowStart\n        windowEnd\n      }\n      members {\n        id\n        role\n        user {\n          id\n          name\n          handle\n        }\n      }\n      savedReplies {\n        id\n        shortcut\n        title\n        body\n      }\n      blockedUsers {\n        id\n        name\n        handle\n      }\n    }\n    viewer {\n      id\n    }\n  }\n"): (typeof documents)["\n  query PageSettings($handle: String!) {\n    page(handle: $handle) {\n      id\n      name\n      handle\n      about\n      viewerRole\n      messagingEnabled\n      acceptingMessages\n      awayMessage\n      timeZone\n      availability {\n        weekday\n        startMinute\n        endMinute\n      }\n      responsiveness {\n        requests\n        answered\n        responseRate\n        medianResponseSeconds\n        veryResponsive\n        windowStart\n        windowEnd\n      }\n      members {\n        id\n        role\n        user {\n          id\n          name\n          handle\n        }\n      }\n      savedReplies {\n        id\n        shortcut\n        title\n        body\n      }\n      blockedUsers {\n        id\n        name\n        handle\n      }\n    }\n    viewer {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdatePage($input: UpdatePageInput!) {\n    updatePage(input: $input) {\n      page {\n        id\n        name\n        about\n        messagingEnabled\n        acceptingMessages\n        awayMessage\n        timeZone\n        availability {\n          weekday\n          startMinute\n          endMinute\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdatePage($input: UpdatePageInput!) {\n    updatePage(input: $input) {\n      page {\n        id\n        name\n        about\n        messagingEnabled\n        acceptingMessages\n        awayMessage\n        timeZone\n        availability {\n          weekday\n          startMinute\n          endMinute\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetPageRole($input: SetPageRoleInput!) {\n    setPageRole(input: $input) {\n      page {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetPageRole($input: SetPageRoleInput!) {\n    setPageRole(input: $input) {\n      page {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSavedReply($input: CreateSavedReplyInput!) {\n    createSavedReply(input: $input) {\n      savedReply {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSavedReply($input: CreateSavedReplyInput!) {\n    createSavedReply(input: $input) {\n      savedReply {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSavedReply($id: ID!) {\n    deleteSavedReply(input: { id: $id }) {\n      deletedId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteSavedReply($id: ID!) {\n    deleteSavedReply(input: { id: $id }) {\n      deletedId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnblockUser($pageId: ID!, $userId: ID!) {\n    unblockUser(input: { pageId: $pageId, userId: $userId }) {\n      page {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UnblockUser($pageId: ID!, $userId: ID!) {\n    unblockUser(input: { pageId: $pageId, userId: $userId }) {\n      page {\n        id\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;