package org.jobstack.instance;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jobstack.common.PageCursor;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApi.Resource;
import org.jobstack.web.Page;
import org.jobstack.web.Times;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Admin API (admin port, passphrase): instances, as the stack's {@code /instances} routes. */
@RestController
@RequestMapping("/instances")
class AdminInstanceController {

    /** A page of instances; the CLI follows links.next, other clients get the first thousand as before. */
    private static final int PAGE = 1000;

    private final InstanceService instances;

    AdminInstanceController(InstanceService instances) {
        this.instances = instances;
    }

    @PostMapping
    ResponseEntity<Document> create(
            @RequestParam(name = "Domain", required = false) String domain,
            @RequestParam(name = "Locale", required = false) String locale,
            @RequestParam(name = "StackURL", required = false) String stackUrl,
            @RequestParam(name = "TokenSecret", required = false) String tokenSecret) {
        return JsonApi.single(201, withSecret(instances.create(domain, locale, stackUrl, tokenSecret)));
    }

    @GetMapping
    ResponseEntity<Document> list(HttpServletRequest request) {
        Page page = Page.of(request, PAGE, PAGE);
        return page.answer(
                instances.list(page.after(), page.fetch()),
                AdminInstanceController::resource,
                i -> new PageCursor(i.createdAt(), i.domain()),
                request);
    }

    @GetMapping("/{domain}")
    ResponseEntity<Document> show(@PathVariable String domain) {
        return JsonApi.single(200, resource(instances.get(domain)));
    }

    @PatchMapping("/{domain}")
    ResponseEntity<Document> update(
            @PathVariable String domain,
            @RequestParam(name = "Locale", required = false) String locale,
            @RequestParam(name = "StackURL", required = false) String stackUrl,
            @RequestParam(name = "TokenSecret", required = false) String tokenSecret) {
        return JsonApi.single(200, resource(instances.update(domain, locale, stackUrl, tokenSecret)));
    }

    /** A new random token secret (every token signed with the old one is refused), answered once. */
    @PostMapping("/{domain}/token-secret")
    ResponseEntity<Document> rotateSecret(@PathVariable String domain) {
        return JsonApi.single(200, withSecret(instances.rotateSecret(domain)));
    }

    @DeleteMapping("/{domain}")
    ResponseEntity<Void> delete(@PathVariable String domain) {
        instances.delete(domain);
        return ResponseEntity.noContent().build();
    }

    /** The instance without its token secret: only creation and rotation answer with it. */
    private static Resource resource(Instance instance) {
        return resource(instance, false);
    }

    private static Resource withSecret(Instance instance) {
        return resource(instance, true);
    }

    private static Resource resource(Instance instance, boolean secret) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("domain", instance.domain());
        attributes.put("locale", instance.locale());
        attributes.put("stack_url", instance.stackUrl());
        if (secret) {
            attributes.put("token_secret", instance.tokenSecretBase64());
        }
        attributes.put("created_at", Times.format(instance.createdAt()));
        attributes.put("updated_at", Times.format(instance.updatedAt()));
        return new Resource(
                "instances", instance.domain(), attributes, null, Map.of("self", "/instances/" + instance.domain()));
    }
}
