package apptest

import "fmt"

// User is a signed-up account with its token.
type User struct {
	ID, Name, Handle, Email, Token string
}

// SignUp creates a user named name (handle and email derived from it and a
// counter, so names may repeat across tests).
func (s *Server) SignUp(name string) User {
	s.t.Helper()
	// The counter keeps names readable; the random part keeps them unique
	// when several servers share one database.
	n := s.users.Add(1)
	handle := fmt.Sprintf("%s_%d_%s", name, n, s.salt)
	email := fmt.Sprintf("%s%d.%s@example.com", name, n, s.salt)
	r := s.Do("", `mutation($i: SignUpInput!) { signUp(input: $i) { token user { id } } }`, Vars{
		"i": Vars{"name": name, "handle": handle, "email": email, "password": "correct horse"},
	}).OK()
	return User{ID: r.String("signUp.user.id"), Name: name, Handle: handle, Email: email, Token: r.String("signUp.token")}
}

// Page is a created page.
type Page struct {
	ID, Handle string
}

// CreatePage creates a page with owner as its ADMIN.
func (s *Server) CreatePage(owner User, handle string) Page {
	s.t.Helper()
	r := s.Do(owner.Token, `mutation($i: CreatePageInput!) { createPage(input: $i) { page { id } } }`, Vars{
		"i": Vars{"name": "Page " + handle, "handle": handle},
	}).OK()
	return Page{ID: r.String("createPage.page.id"), Handle: handle}
}

// SendToPage sends a visitor message and returns the response.
func (s *Server) SendToPage(visitor User, page Page, body string) *Response {
	s.t.Helper()
	return s.Do(visitor.Token, `mutation($i: SendMessageToPageInput!) {
		sendMessageToPage(input: $i) { message { id seq body senderType } thread { id } } }`,
		Vars{"i": Vars{"pageId": page.ID, "body": body}})
}

// SendIn sends a message into an existing thread and returns the response.
func (s *Server) SendIn(sender User, threadID, body string) *Response {
	s.t.Helper()
	return s.Do(sender.Token, `mutation($i: SendMessageInput!) {
		sendMessage(input: $i) { message { id seq body senderType } thread { id } } }`,
		Vars{"i": Vars{"threadId": threadID, "body": body}})
}

// Conversation is a page with an owner and a visitor who wrote to it.
type Conversation struct {
	Owner, Visitor User
	Page           Page
	ThreadID       string
}

// StartConversation creates an owner, a page and a visitor, and sends the
// visitor's first message.
func (s *Server) StartConversation(handle string) Conversation {
	s.t.Helper()
	c := Conversation{Owner: s.SignUp("owner"), Visitor: s.SignUp("visitor")}
	c.Page = s.CreatePage(c.Owner, handle)
	c.ThreadID = s.SendToPage(c.Visitor, c.Page, "hello").OK().String("sendMessageToPage.thread.id")
	return c
}

// SetRole gives user a role on page ("" removes them), as admin.
func (s *Server) SetRole(admin User, page Page, user User, role string) *Response {
	s.t.Helper()
	var r any
	if role != "" {
		r = role
	}
	return s.Do(admin.Token, `mutation($i: SetPageRoleInput!) { setPageRole(input: $i) { page { id } } }`,
		Vars{"i": Vars{"pageId": page.ID, "userId": user.ID, "role": r}})
}

// UpdatePage changes page settings as the holder of token.
func (s *Server) UpdatePage(token string, page Page, settings Vars) *Response {
	s.t.Helper()
	in := Vars{"pageId": page.ID}
	for k, v := range settings {
		in[k] = v
	}
	return s.Do(token, `mutation($i: UpdatePageInput!) { updatePage(input: $i) { page { id acceptingMessages messagingEnabled awayMessage timeZone } } }`,
		Vars{"i": in})
}

// CreatePost posts on a page's wall; kind "" is STATUS.
func (s *Server) CreatePost(staff User, page Page, body, kind string) *Response {
	s.t.Helper()
	in := Vars{"pageId": page.ID, "body": body}
	if kind != "" {
		in["kind"] = kind
	}
	return s.Do(staff.Token, `mutation($i: CreatePostInput!) { createPost(input: $i) { post { id kind groupChat { id title } } } }`,
		Vars{"i": in})
}

// Comment comments on a post and returns the comment id.
func (s *Server) Comment(u User, postID, body string) string {
	s.t.Helper()
	return s.Do(u.Token, `mutation($i: CreateCommentInput!) { createComment(input: $i) { comment { id } } }`,
		Vars{"i": Vars{"postId": postID, "body": body}}).OK().String("createComment.comment.id")
}

// Thread reads a thread by id as the holder of token, with common fields.
func (s *Server) Thread(token, id string) *Response {
	s.t.Helper()
	return s.Do(token, `query($id: ID!) { node(id: $id) { ... on Thread {
		id kind canReply replyWindowEndsAt unreadCount status labels assignee { id }
		messages(last: 50) { totalCount edges { node { seq body senderType sender { id } referral { source comment { id } ad { adId title body } post { id } } } } }
	} } }`, Vars{"id": id})
}
