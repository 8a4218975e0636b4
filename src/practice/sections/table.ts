/** `/table`: one product table, `<table id="products">` with a thead and 50 rows. */
import { esc, shell } from "../html.js";
import { htmlReply } from "../reply.js";
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";

export function tableSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const render = (): Reply => {
    let rows = "";
    for (const p of model.products) {
      rows += `\n    <tr><td class="name">${esc(p.name)}</td><td class="price">${p.price}</td><td class="stock">${p.stock}</td><td class="sku">${p.sku}</td></tr>`;
    }
    const body = `<div class="header-box"><h1>Products</h1><p>Prices in US dollars; stock counted every morning.</p></div>
<table id="products">
  <thead><tr><th>Name</th><th>Price</th><th>Stock</th><th>SKU</th></tr></thead>
  <tbody>${rows}
  </tbody>
  <tfoot><tr><td colspan="4">${model.products.length} products</td></tr></tfoot>
</table>`;
    return htmlReply(shell({ title: "Products", body }));
  };
  return {
    name: "table",
    homeLinks: [{ href: "/table", label: "Product table" }],
    handle(req: PracticeRequest): Reply | undefined {
      return req.path === "/table" ? cache.get("/table", render) : undefined;
    },
    contribute(manifest: SiteManifest): void {
      manifest.pages.push("/table");
      for (const p of model.products) {
        manifest.items.product.push({ name: p.name, price: Number(p.price), stock: p.stock, sku: p.sku });
      }
    },
    warmPaths: () => ["/table"],
  };
}
