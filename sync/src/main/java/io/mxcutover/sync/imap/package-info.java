/**
 * The IMAP edge, the only code that talks IMAP (Angus Mail). A session is typed by what the sync may do
 * on that side: a {@link io.mxcutover.sync.imap.SourceStore} only reads (no APPEND, STORE or CREATE in
 * its type: the legacy server is read-only by construction), a {@link io.mxcutover.sync.imap.TargetStore}
 * also writes; {@link io.mxcutover.sync.imap.ImapSourceStore} and
 * {@link io.mxcutover.sync.imap.ImapTargetStore} are them over IMAP. What a failed command means
 * (throttled, refused, connection, ...) is one pure decision, {@link io.mxcutover.sync.imap.ImapErrorClassifier}.
 * Source folders are EXAMINEd and read with BODY.PEEK (RFC 3501), metadata
 * of a folder comes in one FETCH, bodies in batched UID FETCHes or, for large messages, in
 * partial-fetch slices held in memory (at most 16 MiB each, 64 MiB for all workers:
 * {@link io.mxcutover.sync.imap.MessageMemory}) or streamed to a temp file. Target APPENDs carry the source INTERNALDATE,
 * flags and keywords (never \Recent) and the exact bytes; a batch is one MULTIAPPEND (RFC 3502)
 * where offered; UIDPLUS (RFC 4315) gives the target UIDs. Master users log in by SASL PLAIN
 * with an authorization id (RFC 4616), never the LOGIN fallback. OAuth2 logins use SASL XOAUTH2 or OAUTHBEARER
 * (RFC 7628) through {@link io.mxcutover.sync.imap.BearerSaslClient}, only when the server offers the
 * mechanism; a token the server refuses is renewed once and the login tried again.
 *
 * <p>Speed: body FETCHes are read raw ({@link io.mxcutover.sync.imap.RawImapProtocol},
 * {@link io.mxcutover.sync.imap.FetchedBody}): one reused buffer per connection and one copy of each
 * literal, instead of Angus's response objects; everything else goes through Angus.
 */
package io.mxcutover.sync.imap;
