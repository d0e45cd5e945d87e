// After the host's build: what the snippets printed, where the drivers came from, and what the
// published poms and jars say. Every failure names what is wrong.
import groovy.xml.XmlSlurper
import java.util.jar.JarFile

def log = new File(basedir, 'build.log').getText('UTF-8')

// The README's snippet ran and said what the README says it does.
assert log.contains('a-17/RECURRING/2026-10-15'): 'the README snippet printed no simulated line for a-17'
assert log.readLines().any { it.trim() == '180' }: 'the README snippet did not print 180 covered seconds'
// A host on H2 reads money back at the currency's scale.
assert log.contains('host-on-h2 export: ') && log =~ /"retail"\s*:\s*"5\.00"/:
        'the H2 host did not export retail "5.00"'

// The drivers reach the host only because it declared them (allotment-jdbc's are optional), and no
// test library of Allotment's (Guava, JUnit, jqwik, Mockito, embedded PostgreSQL) reaches it at all.
def tree = new File(basedir, 'target/dependency-tree.txt').readLines()
def depthOne = { String line -> line ==~ /^[+\\]- .*/ }
['com.h2database:h2:', 'org.postgresql:postgresql:'].each { driver ->
    tree.findAll { it.contains(driver) }.each { line ->
        assert depthOne(line): "a driver reaches the host through Allotment instead of being its own choice: ${line}"
    }
}
['com.google.guava', 'junit', 'net.jqwik', 'org.mockito', 'io.zonky'].each { group ->
    def leaked = tree.findAll { it.contains(group + ':') }
    assert leaked.isEmpty(): "a test library of Allotment's reaches the host: ${leaked}"
}

// The published poms. The BOM lists every module the reactor publishes: every module of the root pom
// but the BOM itself and the modules that are not published (examples, bench, this check). A new
// module fails here until it is added to the BOM or to this list (and, to have its jar checked
// below, to this check's dependencies in it/pom.xml).
def repo = new File(localRepositoryPath, 'dev/allotment')
def pomOf = { String artifact -> new XmlSlurper().parse(new File(repo, "${artifact}/${projectVersion}/${artifact}-${projectVersion}.pom")) }
def rootPom = new XmlSlurper().parse(new File(rootDir, 'pom.xml'))
def unpublished = ['bom', 'examples', 'bench', 'it'] as Set
def published = rootPom.modules.module*.text().findAll { !unpublished.contains(it) }.collect { 'allotment-' + it } as Set
def bomPom = pomOf('allotment-bom')
def listed = bomPom.dependencyManagement.dependencies.dependency.collect {
    it.artifactId.text() + (it.type.text() ? ':' + it.type.text() : '')
} as Set
def expected = published + ['allotment-spi:test-jar']
assert listed == expected: "allotment-bom lists ${listed.sort()}, the reactor publishes ${expected.sort()}"
assert bomPom.version.text() == projectVersion: "allotment-bom is at ${bomPom.version}, the build at ${projectVersion}"
bomPom.dependencyManagement.dependencies.dependency.each {
    def version = it.version.text().replace('${project.version}', bomPom.version.text())
    assert version == projectVersion: "allotment-bom pins ${it.artifactId} at ${version}"
}

def jdbcPom = pomOf('allotment-jdbc')
['h2', 'postgresql'].each { driver ->
    def dep = jdbcPom.dependencies.dependency.find { it.artifactId.text() == driver }
    assert dep != null && dep.optional.text() == 'true': "allotment-jdbc must declare ${driver} optional"
}

[pomOf('allotment-parent'), bomPom].each { p ->
    assert p.licenses.license.name.text() == 'Apache-2.0': "${p.artifactId} names no Apache-2.0 licence"
    assert p.url.text() && p.scm.url.text() && p.developers.developer.size() > 0:
            "${p.artifactId} lacks <url>, <scm> or <developers>"
}

// Every published jar carries the licence and its module name; the source and Javadoc jars (attached
// on verify, after this repository was filled, so read from the modules' target/) carry the licence.
published.each { artifact ->
    def target = new File(rootDir, artifact.substring('allotment-'.length()) + '/target')
    ['sources', 'javadoc'].each { classifier ->
        def file = new File(target, "${artifact}-${projectVersion}-${classifier}.jar")
        assert file.isFile(): "${file} was not built"
        new JarFile(file).withCloseable { jar ->
            assert jar.getEntry('META-INF/LICENSE') != null: "${file.name} has no META-INF/LICENSE"
        }
    }
}
// Every published jar carries the licence and its module name.
published.each { artifact ->
    def name = 'dev.allotment.' + artifact.substring('allotment-'.length())
    def jars = [(name): new File(repo, "${artifact}/${projectVersion}/${artifact}-${projectVersion}.jar")]
    if (artifact == 'allotment-spi') {
        jars[name + '.contract'] = new File(repo, "${artifact}/${projectVersion}/${artifact}-${projectVersion}-tests.jar")
    }
    jars.each { expectedName, file ->
        assert file.isFile(): "${file} was not installed"
        new JarFile(file).withCloseable { jar ->
            assert jar.getEntry('META-INF/LICENSE') != null: "${file.name} has no META-INF/LICENSE"
            def moduleName = jar.manifest.mainAttributes.getValue('Automatic-Module-Name')
            assert moduleName == expectedName: "${file.name}: Automatic-Module-Name is ${moduleName}, not ${expectedName}"
        }
    }
}
return true
