package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.runtime.data.TargetDomain;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which targets a network's loss puts in a domain, as the compiler finds them while lowering: every target a loss
 * of the standard library reads as its target, directly, element by element, or through a user's function; never
 * an expression of a target, an input, or a target a loss without a domain reads.
 */
class TargetDomainsTest {
    static final String BCE = "bce reads its target as a label 0 or 1, or a probability between them";
    static final String CE = "cross_entropy reads its target as one-hot or as probabilities, each element from 0 to 1";

    static List<TargetDomain> domains(String body) {
        return Nets.compile("t.nn", body).domains();
    }

    static TargetDomain.Range range(String target, int element, String why) {
        return new TargetDomain.Range(target, element, 0, 1, why);
    }

    @Test void aWholeTargetOfALoss() {
        assertEquals(List.of(range("y", TargetDomain.ALL, BCE)),
                domains("network N {\n input x\n target y\n param w\n p = σ(w x)\n output p\n loss J = bce(p, y)\n}\n"));
        assertEquals(List.of(range("y", TargetDomain.ALL, CE)),
                domains("network N {\n input x[2]\n target y[3]\n param W[3,2]\n z[c] = Σᵢ W[c,i] x[i]\n p = softmax(z)\n output p\n"
                        + " loss J = cross_entropy(p, y)\n}\n").stream().filter(d -> d instanceof TargetDomain.Range).toList());
    }

    @Test void elementsOfATargetEachAsTheLossReadsThem() {
        assertEquals(List.of(range("y", 0, BCE)),
                domains("network N {\n input x\n target y[2]\n param w, v\n p = σ(w x)\n q = v x\n output p\n"
                        + " loss J = bce(p, y[1]) + mse(q, y[2])\n}\n"));
        assertEquals(List.of(range("y", TargetDomain.ALL, BCE)),
                domains("network N {\n input x[2]\n target y[2]\n param w[2]\n p[i] = σ(w[i] x[i])\n output p\n loss J = Σᵢ bce(p[i], y[i])\n}\n"),
                "an index variable reads every element");
    }

    @Test void throughAUsersFunction() {
        assertEquals(List.of(range("y", TargetDomain.ALL, BCE)),
                domains("fn mine(a, t) = 2 bce(a, t)\nnetwork N {\n input x\n target y\n param w\n p = σ(w x)\n output p\n loss J = mine(p, y)\n}\n"));
        assertEquals(List.of(range("y", TargetDomain.ALL, BCE)),
                domains("fn inner(a, t) = bce(a, t)\nfn outer(b, u) = inner(b, u) + 0\nnetwork N {\n input x\n target y\n param w\n p = σ(w x)\n"
                        + " output p\n loss J = outer(p, y)\n}\n"), "passed on twice");
    }

    @Test void noDomainWhereTheLossHasNoneOrReadsNoTargetAsIs() {
        assertEquals(List.of(), domains("network N {\n input x\n target y\n param w\n p = w x\n output p\n loss J = mse(p, y)\n}\n"));
        assertEquals(List.of(), domains("network N {\n input x\n target y\n param w\n p = σ(w x)\n output p\n loss J = bce(p, 1 - y)\n}\n"),
                "an expression of the target is the program's business");
        assertEquals(List.of(), domains("network N {\n input x, s\n target y\n param w\n p = σ(w x)\n output p\n loss J = bce(p, s) + mse(p, y)\n}\n"),
                "an input given as bce's target is no data target");
        assertEquals(List.of(), domains("fn bce2(a, y) = -(y log(a))\nnetwork N {\n input x\n target y\n param w\n p = σ(w x)\n output p\n"
                + " loss J = bce2(p, y)\n}\n"), "a user's function of another name is not the library's");
    }
}
