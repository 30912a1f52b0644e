package org.jobstack.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jobstack.common.Problem;
import org.jobstack.instance.SigningKeys;
import org.jobstack.permission.InvalidRuleException;
import org.jobstack.permission.PermissionSet;
import org.springframework.stereotype.Component;

/** Who holds a token of an instance: the token checked against the instance's key, and its permissions. */
@Component
public class TokenCallers {

    /** CLI scopes are few distinct strings, parsed on every request otherwise. */
    private static final int MAX_SCOPES_KEPT = 1_000;

    private final SigningKeys keys;
    private final TokenService tokens;
    private final AppPermissions appPermissions;
    private final Map<String, PermissionSet> parsedScopes = new ConcurrentHashMap<>();

    TokenCallers(SigningKeys keys, TokenService tokens, AppPermissions appPermissions) {
        this.keys = keys;
        this.tokens = tokens;
        this.appPermissions = appPermissions;
    }

    /**
     * The caller holding {@code token} for {@code domain}.
     *
     * @throws Problem when the instance does not exist
     * @throws InvalidTokenException when the token is not valid for it, or its app is gone
     */
    public Caller of(String domain, String token) {
        SigningKeys.SigningKey instance = keys.of(domain);
        TokenService.VerifiedToken verified = tokens.verify(instance.domain(), instance.secret(), token);
        return new Caller(
                instance.domain(), verified.audience(), verified.subject(), permissionsOf(instance.domain(), verified));
    }

    private PermissionSet permissionsOf(String domain, TokenService.VerifiedToken token) {
        try {
            if (token.audience() == Audience.CLI) {
                return parsedScope(token.scope());
            }
            return appPermissions
                    .of(domain, token.audience(), token.subject())
                    .orElseThrow(() -> new InvalidTokenException("no installed app " + token.subject()));
        } catch (InvalidRuleException e) {
            throw new InvalidTokenException(e.getMessage());
        }
    }

    private PermissionSet parsedScope(String scope) {
        if (scope == null) {
            return PermissionSet.NONE;
        }
        if (parsedScopes.size() >= MAX_SCOPES_KEPT) {
            parsedScopes.clear();
        }
        return parsedScopes.computeIfAbsent(scope, PermissionSet::parse);
    }
}
