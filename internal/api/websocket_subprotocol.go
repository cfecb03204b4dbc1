package api

// The two subprotocols' vocabulary: names, close codes, the message shape.

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/coder/websocket"
)

// Subprotocols and close codes. graphql-transport-ws is the graphql-ws
// library's protocol; graphql-ws is the legacy subscriptions-transport-ws
// one (chosen when a client names none).
const (
	protoTransportWS = "graphql-transport-ws"
	protoLegacyWS    = "graphql-ws"

	closeGoingAway     = 1001 // server shutting down: reconnect and resume
	closeProtocol      = 1002 // legacy protocol: a message it does not allow
	closeInternal      = 1011 // a failure of ours (graphql-ws does not retry it)
	closeTryAgainLater = 1013 // an outage: graphql-ws retries it
	closeBadMessage    = 4400 // graphql-transport-ws: invalid message
	closeUnauthorized  = 4401 // graphql-transport-ws: subscribe before connection_ack
	closeForbidden     = 4403 // connection_init refused
	closeInitTimeout   = 4408 // no connection_init in time
	closeDuplicateID   = 4409 // graphql-transport-ws: an operation id already in use
	closeTooManyInits  = 4429 // graphql-transport-ws: a second connection_init
)

// wsMessage is a protocol message, either way.
type wsMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func (c *wsConn) legacy() bool { return c.proto == protoLegacyWS }

var errBadMessage = errors.New("invalid message")

// read returns the next message; errBadMessage when it is not one.
func (c *wsConn) read() (wsMessage, error) {
	typ, data, err := c.ws.Read(context.Background())
	if err != nil {
		return wsMessage{}, err
	}
	var m wsMessage
	var bad bool
	// Decoded off the reader goroutine, which lives as long as the socket
	// and keeps the stack of its deepest call (see deep).
	deep(c.owner.log, func() { bad = typ != websocket.MessageText || json.Unmarshal(data, &m) != nil || m.Type == "" })
	if bad {
		return wsMessage{}, errBadMessage
	}
	return m, nil
}
