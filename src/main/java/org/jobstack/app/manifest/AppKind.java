package org.jobstack.app.manifest;

/** Webapps and konnectors install alike; they differ by manifest file, doctype and route. */
public enum AppKind {
    WEBAPP("webapp", "manifest.webapp", "io.cozy.apps", "/apps"),
    KONNECTOR("konnector", "manifest.konnector", "io.cozy.konnectors", "/konnectors");

    private final String value;
    private final String manifestFile;
    private final String doctype;
    private final String route;

    AppKind(String value, String manifestFile, String doctype, String route) {
        this.value = value;
        this.manifestFile = manifestFile;
        this.doctype = doctype;
        this.route = route;
    }

    public String value() {
        return value;
    }

    public String manifestFile() {
        return manifestFile;
    }

    public String doctype() {
        return doctype;
    }

    public String route() {
        return route;
    }

    public String docId(String slug) {
        return doctype + "/" + slug;
    }
}
