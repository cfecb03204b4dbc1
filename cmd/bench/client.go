package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"pageinbox/internal/globalid"
)

// client talks GraphQL over HTTP.
type client struct {
	url  string
	http *http.Client
}

func newClient(url string) *client {
	return &client{url: url, http: &http.Client{
		Timeout:   60 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: time.Minute},
	}}
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// do runs an operation and decodes data into out.
func (c *client) do(ctx context.Context, token, query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		return fmt.Errorf("decode (%d): %w", res.StatusCode, err)
	}
	if len(r.Errors) > 0 {
		return fmt.Errorf("graphql: %s (%v)", r.Errors[0].Message, r.Errors[0].Extensions["code"])
	}
	if out != nil {
		return json.Unmarshal(r.Data, out)
	}
	return nil
}

// signUp creates a user and returns its token and id.
func (c *client) signUp(ctx context.Context, handle string) (token, id string, err error) {
	var out struct {
		SignUp struct {
			Token string
			User  struct{ ID string }
		}
	}
	err = c.do(ctx, "", `mutation($i: SignUpInput!) { signUp(input: $i) { token user { id } } }`, map[string]any{
		"i": map[string]any{"name": handle, "handle": handle, "email": handle + "@bench.example.com", "password": "benchmark-password"},
	}, &out)
	return out.SignUp.Token, out.SignUp.User.ID, err
}

// createPage creates a page and returns its id.
func (c *client) createPage(ctx context.Context, token, handle string) (string, error) {
	var out struct {
		CreatePage struct{ Page struct{ ID string } }
	}
	err := c.do(ctx, token, `mutation($i: CreatePageInput!) { createPage(input: $i) { page { id } } }`,
		map[string]any{"i": map[string]any{"name": "Bench " + handle, "handle": handle}}, &out)
	return out.CreatePage.Page.ID, err
}

// sendToPage sends a visitor message and returns the thread id.
func (c *client) sendToPage(ctx context.Context, token, pageID, body string) (string, error) {
	var out struct {
		SendMessageToPage struct{ Thread struct{ ID string } }
	}
	err := c.do(ctx, token, `mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) { thread { id } } }`,
		map[string]any{"i": map[string]any{"pageId": pageID, "body": body}}, &out)
	return out.SendMessageToPage.Thread.ID, err
}

// rawID turns an API id back into the database id, for the benchmarks that
// write rows directly.
func rawID(id string) int {
	n, err := globalid.Decode(id)
	if err != nil {
		panic("bench: the API returned an id it cannot read back: " + err.Error())
	}
	return n
}
