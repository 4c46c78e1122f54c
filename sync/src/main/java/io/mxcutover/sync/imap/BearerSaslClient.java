package io.mxcutover.sync.imap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

/**
 * The client side of the two OAuth2 bearer-token SASL mechanisms, for Angus Mail's SASL login: OAUTHBEARER (RFC 7628
 * §3.1: {@code n,a=user,^Aauth=Bearer token^A^A}) and XOAUTH2 (Google's and Microsoft's
 * {@code user=user^Aauth=Bearer token^A^A}). The user and the token come from Angus's callbacks (the login name
 * and the "password"). A server that refuses the token sends its error as a challenge (a JSON status); the answer
 * is the dummy response of RFC 7628 §3.2.3 ({@code ^A}) for OAUTHBEARER and an empty line for XOAUTH2, after which
 * the server ends the exchange with NO. No negotiated security layer.
 */
final class BearerSaslClient implements SaslClient {
    private final String mechanism;
    private final CallbackHandler callbacks;
    private boolean sentCredentials;
    private boolean complete;

    BearerSaslClient(String mechanism, CallbackHandler callbacks) {
        this.mechanism = mechanism.toUpperCase(Locale.ROOT);
        this.callbacks = callbacks;
    }

    @Override
    public String getMechanismName() {
        return mechanism;
    }

    @Override
    public boolean hasInitialResponse() {
        return true;
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws SaslException {
        if (!sentCredentials) {
            sentCredentials = true;
            String[] userAndToken = userAndToken();
            return initialResponse(mechanism, userAndToken[0], userAndToken[1]);
        }
        // The server's error (JSON) after our credentials: acknowledge it, the tagged NO follows.
        complete = true;
        return mechanism.equals("OAUTHBEARER") ? new byte[] {1} : new byte[0];
    }

    /** The client's first message of {@code mechanism} for {@code user} and {@code token}. */
    static byte[] initialResponse(String mechanism, String user, String token) {
        String text = mechanism.equals("OAUTHBEARER")
                ? "n,a=" + saslName(user) + ",\u0001auth=Bearer " + token + "\u0001\u0001"
                : "user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 5801 saslname: {@code ,} and {@code =} escaped as {@code =2C} and {@code =3D}. */
    static String saslName(String user) {
        return user.replace("=", "=3D").replace(",", "=2C");
    }

    private String[] userAndToken() throws SaslException {
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("token", false);
        try {
            callbacks.handle(new Callback[] {name, password});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new SaslException(mechanism + ": no user or token from the caller", e);
        }
        char[] token = password.getPassword();
        password.clearPassword();
        if (name.getName() == null || token == null) {
            throw new SaslException(mechanism + ": no user or token from the caller");
        }
        return new String[] {name.getName(), new String(token)};
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public byte[] unwrap(byte[] incoming, int offset, int len) throws SaslException {
        throw new IllegalStateException(mechanism + " has no security layer");
    }

    @Override
    public byte[] wrap(byte[] outgoing, int offset, int len) throws SaslException {
        throw new IllegalStateException(mechanism + " has no security layer");
    }

    @Override
    public Object getNegotiatedProperty(String propName) {
        return null;
    }

    @Override
    public void dispose() {
        complete = true;
    }

    @Override
    public String toString() {
        return "SASL " + mechanism + " client";
    }
}
