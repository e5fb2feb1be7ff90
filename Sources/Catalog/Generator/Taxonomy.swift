#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The synthetic Lazada-PH taxonomy of the background filler (`reference/shoppingbench.md`, closing
/// section, layer C): about 25 L1 categories with 2–6 level paths; each leaf type has noun phrases,
/// modifiers, a brand pool, an attribute schema and SKU key sets. Value pools are small on purpose,
/// so every value recurs many times (upstream drops keys and values seen fewer than 20 times).
public struct Taxonomy: Sendable {
    /// One leaf type of the taxonomy.
    public struct Leaf: Sendable {
        public let path: [String]
        public let nouns: [String]
        public let modifiers: [String]
        public let brands: [String]
        public let attributeKeys: [String]
        /// Alternative key sets for SKU variants (one or two keys each).
        public let skuKeySets: [[String]]
        /// Multiplies the global price median.
        public let priceScale: Double

        public var category: String { path.joined(separator: " > ") }
    }

    public let leaves: [Leaf]
    /// Lower-case value pools of attribute and SKU keys.
    public let pools: [String: [String]]

    /// The built-in taxonomy.
    public static let standard = Taxonomy()

    public func values(for key: String) -> [String] { pools[key] ?? Taxonomy.genericValues }

    static let genericValues = ["standard", "style a", "style b", "type 1", "type 2", "set", "single", "basic", "premium"]

    /// Brands that upstream keeps although they mean "no brand" (the rubbish filter is exact-match).
    static let junkBrands = ["OEM", "❤️NoBrand", "Generic", "OEM"]

    /// Generic title padding seen on marketplace listings.
    static let titlePadding = [
        "High Quality", "Original", "2024 New", "COD", "Ready Stock", "Hot Sale", "For Men Women", "Unisex",
        "Free Gift", "Best Seller", "Korean Style", "Durable", "Portable", "Authentic", "Local Seller",
        "Fast Delivery", "Premium", "Wholesale", "Sale", "Limited Edition",
    ]

    /// Generic brands used when a negative swaps the brand of an anchor title.
    static let swapBrands = [
        "Xinda", "Moxie", "Kaiyi", "Lumo", "Dexin", "Haoshi", "Vexa", "Nordy", "Primo", "Sunrich", "Yoobi", "Tekno",
        "Aurum", "Bazic", "Cosmo", "Delfi", "Evo", "Fenix", "Gaia", "Helix", "Ideal", "Jumbo", "Kora", "Lotus",
    ]

    init() {
        func leaf(_ path: String, _ nouns: String, _ mods: String, _ brands: String, _ attrs: String, _ sku: String, _ scale: Double) -> Leaf {
            Leaf(
                path: path.pieces(">").map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }, nouns: nouns.pieces("|"),
                modifiers: mods.pieces("|"), brands: brands.pieces("|"),
                attributeKeys: attrs.isEmpty ? [] : attrs.pieces(","),
                skuKeySets: sku.isEmpty ? [] : sku.pieces("|").map { $0.pieces(",") },
                priceScale: scale)
        }
        let raw = [
            leaf("Mobiles & Tablets > Mobiles > Smartphones", "Smartphone|Android Phone|Mobile Phone|5G Phone", "Dual SIM|Big Battery|Global Version|Unlocked|Fast Charging", "Realme|Infinix|Tecno|Xiaomi|Oppo|Vivo|Samsung", "brand,model,operating_system,ram_memory,battery_capacity,camera_back,screen_type,phone_features", "color_family|color_family,storage_capacity", 12),
            leaf("Mobiles & Tablets > Tablets", "Tablet|Android Tablet|Kids Tablet", "10.1 Inch|WiFi|Dual Camera|Learning", "Lenovo|Samsung|Teclast|Huawei", "brand,ram_memory,operating_system,display_size_mobile", "color_family", 9),
            leaf("Electronics Accessories > Mobile Accessories > Phone Cases", "Phone Case|Casing|Silicone Case|Shockproof Cover", "Cartoon|Clear|Matte|Soft|Magnetic", "Kuromi|Spigen|Nillkin|Baseus", "case_function,material,fa_pattern", "compatibility_by_model|compatibility_by_model,color_family", 0.45),
            leaf("Electronics Accessories > Mobile Accessories > Chargers > Wall Chargers", "Charger|Fast Charger|USB Adapter|Charging Cable", "20W|65W|Type C|PD|Quick Charge 3.0", "Baseus|Ugreen|Anker|Remax", "brand,plug_type,input_voltage,cable_length", "color_family|variation", 0.8),
            leaf("Electronics Accessories > Computer Accessories > Mice", "Wireless Mouse|Gaming Mouse|Mouse Pad|Keyboard", "RGB|Silent|Rechargeable|Ergonomic|Bluetooth", "Logitech|Rapoo|Fantech|A4Tech", "brand,connectivity,model", "color_family", 1.2),
            leaf("Computers & Laptops > Laptops > Traditional Laptops", "Laptop|Notebook|Gaming Laptop", "14 Inch|Ultra Thin|Intel Core i5|16GB RAM|SSD", "Lenovo|Acer|Asus|HP|Dell", "brand,model,ram_memory,storage_capacity,operating_system", "variation|color_family,storage_capacity", 40),
            leaf("Computers & Laptops > Storage > Flash Drives", "Flash Drive|USB Stick|Memory Card|External SSD", "64GB|128GB|High Speed|Waterproof|OTG", "Sandisk|Kingston|Samsung|Lexar", "brand,storage_capacity,connectivity", "storage_capacity", 1.1),
            leaf("TV, Audio & Gaming > Audio > Headphones & Headsets > In-Ear Headphones", "Earphones|Wireless Earbuds|Headset|Bluetooth Earphones", "TWS|Noise Cancelling|Bass|HiFi Stereo|With Mic", "SoundMAGIC|Soundcore|JBL|Lenovo|QCY", "brand,headphone_driver_type,plug_type,connectivity,model", "color_family", 1.6),
            leaf("TV, Audio & Gaming > Audio > Portable Speakers", "Bluetooth Speaker|Portable Speaker|Karaoke Speaker", "Waterproof|Heavy Bass|Outdoor|Mini|LED", "JBL|Sony|Xiaomi|Tronsmart", "brand,connectivity,power_source,model", "color_family", 2.5),
            leaf("TV, Audio & Gaming > Wearables > Smartwatches", "Smart Watch|Fitness Tracker|Smart Band", "Heart Rate|Waterproof|Bluetooth Call|Sport", "Xiaomi|Huawei|Amazfit|Haylou", "brand,watch_features,connectivity", "color_family|color_family,size", 3),
            leaf("Cameras & Drones > Security Cameras > IP Cameras", "CCTV Camera|IP Camera|Dashcam|Action Camera", "1080P|Night Vision|WiFi|360 Degree|Outdoor", "V380|Xiaomi|Imou|TP-Link", "brand,connectivity,resolution,power_source", "variation", 4),
            leaf("Home Appliances > Small Kitchen Appliances > Air Fryers", "Air Fryer|Rice Cooker|Electric Kettle|Blender", "5L|Stainless Steel|Non-Stick|Digital|Large Capacity", "Kyowa|Hanabishi|Imarflex|Xiaomi|Philips", "brand,capacity,power_consumption,material,warranty_type", "color_family|capacity", 6),
            leaf("Home Appliances > Cooling & Air Treatment > Fans", "Electric Fan|Stand Fan|Desk Fan|Air Cooler", "Rechargeable|Silent|USB|16 Inch|Remote Control", "Asahi|Hanabishi|Standard|Dowell", "brand,power_source,power_consumption,warranty_type", "color_family|size", 4),
            leaf("Health & Beauty > Skin Care > Face Moisturizers", "Moisturizer|Face Cream|Serum|Sunscreen|Toner", "Whitening|Hydrating|SPF 50|Anti Acne|Aloe Vera", "Nivea|Pond's|Snailwhite|Cetaphil|Nature Republic", "brand,skin_type,units_hb,product_form,ingredient_preference,travel_size", "variation|volume", 1.2),
            leaf("Health & Beauty > Hair Care > Hair Color", "Hair Color|Shampoo|Conditioner|Hair Oil|Hair Mask", "Keratin|Anti Dandruff|Argan Oil|Organic|Salon", "Bremod|Palmolive|Cream Silk|Loreal|Sunsilk", "brand,concerns_hair_care,formulation_hair_color,units_hb", "variation|volume", 0.9),
            leaf("Health & Beauty > Makeup > Lips > Lipstick", "Lipstick|Lip Tint|Lip Balm|Lip Gloss", "Matte|Long Lasting|Waterproof|Velvet|Moisturizing", "Maybelline|Laneige|Ever Bilena|Colourette", "brand,units_hb,brand_classification,product_form", "color_family|variation", 0.8),
            leaf("Mother & Baby > Feeding > Bowls & Plates", "Baby Bowl|Feeding Bottle|Sippy Cup|Baby Spoon Set", "Silicone|BPA Free|Suction|Anti Colic|Heat Sensing", "Babypro|Pigeon|Avent|Tommee Tippee", "brand,nursery_material_type,recommended_age", "color_family", 1.1),
            leaf("Mother & Baby > Diapering & Potty > Disposable Diapers", "Baby Diapers|Pants Diaper|Baby Wipes", "Ultra Thin|Overnight|Large Pack|Unscented", "EQ|Huggies|Pampers|Drypers|Moony", "brand,diaper_size,units_hb", "diaper_size|diaper_size,quantity", 2),
            leaf("Toys & Games > Dolls & Action Figures > Action Figures", "Action Figure|Anime Figure|Collectible Doll|Model Kit", "Anime|PVC|Limited|Movable Joints|Boxed", "Bandai|Funko|Hasbro|Mattel", "brand,recommended_age,material", "variation", 2),
            leaf("Toys & Games > Educational Toys > Puzzles", "Jigsaw Puzzle|Building Blocks|Magnetic Tiles|Rubik Cube", "1000 Pieces|Educational|Wooden|Montessori|Kids", "Lego|Qiyi|Melissa Doug", "brand,recommended_age,material", "quantity|variation", 1.2),
            leaf("Groceries > Pantry > Sauces & Condiments", "Chili Powder|Soy Sauce|Seasoning Mix|Fish Sauce|Vinegar", "1 Kilo|Spicy|Pack of 3|Original|Family Size", "Hyco|Datu Puti|Silver Swan|Mama Sita's|McCormick", "brand,packaging_type,pack_type,dietary_needs", "variation|quantity", 0.45),
            leaf("Groceries > Dairy & Chilled > Cheese", "Processed Cheese|Cheddar Cheese|Cream Cheese|Butter", "Regular|Sliced|Block|Set of 2", "Magnolia|Eden|Arla|Anchor", "brand,dietary_needs,packaging_type", "variation", 0.5),
            leaf("Groceries > Beverages > Coffee", "Instant Coffee|Coffee Beans|3 in 1 Coffee|Ground Coffee", "Arabica|Barako|Decaf|Strong|30 Sachets", "Nescafe|Kopiko|Great Taste|San Mig", "brand,packaging_type,units_hb", "variation|quantity", 0.7),
            leaf("Home & Living > Bath > Towels", "Face Towel|Bath Towel|Hand Towel|Bathrobe", "100% Cotton|Quick Dry|Hotel Quality|Soft Absorbent", "Canon|Cannon|Dreamtex|Hotel Premium", "towel_fabric,towel_size,patterned,units_hb", "color_family|color_family,size", 0.6),
            leaf("Home & Living > Furniture > Storage & Organization > Cabinets", "Storage Cabinet|Wall Shelf|Shoe Rack|Drawer Organizer", "Solid Wood|Multi Layer|Foldable|Space Saving|Waterproof", "Ikea|Mandaue Foam|Kawayan", "material,assembly_required,color_family", "size|color_family,size", 3),
            leaf("Home & Living > Bedding > Pillows", "Pillow|Bed Sheet Set|Comforter|Seat Cushion", "Memory Foam|Orthopedic|Cotton|Thick|Washable", "Uratex|Dreamtex|Salem|Canadian", "material,size,patterned", "size|color_family,size", 1.3),
            leaf("Home & Living > Lighting > Outdoor Lighting", "Flood Light|Solar Light|LED Strip|Garden Lamp", "Waterproof|Motion Sensor|Warm White|100W|Solar Powered", "Firefly|Omni|Akari|Philips", "light_bulb_colour,light_bulb_type,light_effects,power_source,power_consumption", "variation|wattage", 1.1),
            leaf("Women's Fashion > Clothing > Dresses", "Dress|Maxi Dress|Floral Dress|Bodycon Dress", "Korean|Casual|Sleeveless|Plus Size|Summer", "Bulls|Bench|Penshoppe|Shein", "clothing_material,fa_pattern,dress_length,occasion", "color_family,size|size", 1),
            leaf("Women's Fashion > Clothing > Tops > Blouses", "Blouse|Crop Top|T-Shirt|Oversized Tee", "Korean|Cotton|Loose|Printed|Off Shoulder", "Bench|Penshoppe|Uniqlo|Terranova", "clothing_material,fa_pattern,top_fit_type", "color_family,size|size", 0.8),
            leaf("Men's Fashion > Clothing > Shorts", "Terno Shorts|Board Shorts|Cargo Shorts|Jogger Pants", "Quick Dry|Drawstring|Cotton|Beach|Sports", "Bench|Uniqlo|Oxygen|Jag", "clothing_material,pants_fit_type,fa_pattern", "color_family,size|size", 0.8),
            leaf("Men's Fashion > Shoes > Sneakers", "Sneakers|Running Shoes|Slip On Shoes|Rubber Shoes", "Breathable|Lightweight|Non Slip|Casual|Canvas", "Nike|Adidas|World Balance|Converse|Skechers", "shoes_material,occasion,brand", "color_family,shoe_size|shoe_size", 2.2),
            leaf("Fashion Accessories > Wallets > Short Wallets", "Wallet|Coin Purse|Card Holder|Long Wallet", "Leather|Cute|Cartoon|Zipper|Slim", "Snoopy|Bench|Sanrio|Hawk", "material,fa_pattern,fa_general_styles", "color_family", 0.6),
            leaf("Fashion Accessories > Hair Accessories > Hair Brushes", "Hair Brush|Comb|Hair Clip|Scrunchie Set", "Cartoon|Massage|Anti Static|Kawaii|Wooden", "Kuromi|Sanrio|Tangle Teezer", "material_type,fa_general_styles,main_stone", "color_family|variation", 0.35),
            leaf("Bags & Travel > Women's Bags > Tote Bags", "Tote Bag|Shoulder Bag|Sling Bag|Backpack|Waist Bag", "Large Capacity|Canvas|Waterproof|Korean|Printed", "Jansport|Hawk|Anello|Herschel", "material,fa_pattern,bag_size", "color_family", 1.4),
            leaf("Sports & Outdoors > Fitness > Yoga", "Yoga Mat|Foam Roller|Resistance Band|Dumbbell Set", "Non Slip|Thick|Eco Friendly|Adjustable|Home Gym", "Decathlon|Everlast|Reebok|Keep", "sport_features,material,size", "color_family|size", 1.3),
            leaf("Sports & Outdoors > Racket Sports > Badminton", "Badminton Racket|Shuttlecock|Badminton Net|Tennis Racket", "Carbon|Lightweight|Portable|Pro|Adjustable", "Yonex|Li-Ning|Victor|Apacs", "racquet_stringing,material,brand", "color_family|variation", 2),
            leaf("Sports & Outdoors > Outdoor Recreation > Fishing > Lures", "Fishing Lure|Fishing Reel|Fishing Rod|Fishing Line", "Deep Sea|Minnow|Carbon|Saltwater|Sinking", "Daiwa|Shimano|Abu Garcia|Kastking", "lures_size,material,fishing_type", "color_family|variation", 1),
            leaf("Automotive > Car Accessories > Exterior Accessories > Lights", "Headlight Cover|LED Headlight Bulb|Tail Light|Fog Lamp", "Matte Black|Plug and Play|Super Bright|Waterproof|12V", "Osram|Philips|Toyota|Honda", "light_bulb_type,fitment_type,input_voltage", "variation|color_family", 2),
            leaf("Automotive > Car Care > Cleaning Kits", "Car Wax|Microfiber Cloth|Wax Applicator|Car Shampoo", "Detailing|Foam|Polishing|Ceramic|10pcs", "Turtle Wax|Meguiar's|Armor All|Sonax", "units_hb,material", "quantity|variation", 0.7),
            leaf("Motors > Motorcycle Parts > Body & Frame", "Motorcycle Cover|Side Mirror|Seat Cover|Fairings", "Yamaha Aerox|Honda Click|Sniper|Universal|Carbon Look", "Yamaha|Honda|Suzuki|Kawasaki|RCB", "fitment_type,material,model", "color_family|variation", 2.5),
            leaf("Pet Supplies > Dog Supplies > Grooming", "Dog Shampoo|Pet Brush|Dog Collar|Pet Bed", "Dry|Anti Tick|Gentle|Organic|Adjustable", "Saint Roche|Pedigree|Beaphar|Petsup", "pet_type,size,units_hb", "size|variation", 0.8),
            leaf("Media, Music & Books > Books > Children's Books", "Story Book|Coloring Book|Activity Book|Board Book", "Bilingual|Tagalog|English|Illustrated|Set of 10", "Adarna|Tahanan|Scholastic", "language,recommended_age", "variation", 0.6),
            leaf("Media, Music & Books > Magazines", "Magazine|Comic Book|Manga Volume", "Issue|Collector's|Limited|Special Edition", "Vogue Philippines|Esquire|Marvel", "language", "variation", 1),
            leaf("Stationery & Craft > Art Supplies > Crayons", "Crayons|Color Pencils|Oil Pastel|Watercolor Set", "50 Colors|Non Toxic|Junior Artist|Washable|24 Shades", "Sakura|Faber-Castell|Crayola|Deli", "type_of_inks,units_hb,recommended_age", "quantity|variation", 0.7),
            leaf("Stationery & Craft > School & Office Supplies > Writing", "Gel Pen|Ballpen|Calculator|Notebook|Highlighter", "0.5mm|Candy Color|Student|Office|Set", "Pilot|Deli|Casio|Faber-Castell|bnesos", "stationery_line_point,stationery_pen_type,calculator_power_source,calculator_type", "color,quantity|quantity|color", 0.3),
            leaf("Tools & Home Improvement > Hardware > Plumbing", "Faucet|Pipe Tap|Shower Head|Wheel Caster|Pushcart Wheel", "Heavy Duty|Stainless|Brass Chrome|Rubber|Adjustable", "Stanley|Bosch|Truper|Powerhouse", "material,size,pattern", "color_family|size", 1),
            leaf("Tools & Home Improvement > Power Tools > Drills", "Cordless Drill|Impact Driver|Angle Grinder|Battery Tester", "21V|Brushless|Rechargeable|Heavy Duty|Kit", "Bosch|Makita|Dewalt|Lancol|Inglot", "brand,power_source,input_voltage,warranty_type", "variation", 8),
            leaf("Kitchen & Dining > Cookware > Pots & Pans", "Frying Pan|Pot Holder|Cooking Pot|Wok", "Non Stick|Cast Iron|Granite|Induction|Silicone", "NASAMI|Masflex|Tefal|La Germania", "cookware_material,component_type,size", "color_family,size|size", 1.6),
            leaf("Kitchen & Dining > Coffee & Tea > Accessories", "Coffee Brush|Milk Frother|Coffee Filter|Tea Infuser", "Stainless|Reusable|Handheld|Barista", "BINCOO|Hario|Timemore", "coffee_accessory_type,cookware_material,brand", "color_family|variation", 0.7),
            leaf("Watches Sunglasses Jewellery > Jewellery > Necklaces", "Necklace|Bracelet|Earrings|Ring", "Stainless Steel|Gold Plated|Korean|Minimalist|Couple", "Pandora|Mikimoto|Saudi Gold", "material,main_stone,fa_general_styles", "color_family|size", 0.9),
            leaf("Watches Sunglasses Jewellery > Sunglasses", "Sunglasses|Eyeglasses|Anti Radiation Glasses", "Polarized|UV400|Retro|Oversized|Blue Light", "Ray-Ban|Oakley|Owndays", "eyewear_shape,material", "color_family", 1.2),
        ]
        // Price scales enter as square roots normalised to a geometric mean of 1, so the mixture over
        // leaves keeps the global median near 250 PHP and p10/p90 near 60/1,050.
        let logMean = raw.reduce(0.0) { $0 + log($1.priceScale.squareRoot()) } / Double(raw.count)
        leaves = raw.map {
            Leaf(path: $0.path, nouns: $0.nouns, modifiers: $0.modifiers, brands: $0.brands, attributeKeys: $0.attributeKeys,
                 skuKeySets: $0.skuKeySets, priceScale: $0.priceScale.squareRoot() / exp(logMean))
        }
        pools = [
            "color_family": ["black", "white", "blue", "red", "pink", "gray", "green", "yellow", "brown", "beige", "purple", "silver", "gold", "navy blue", "multicolor", "as show", "a", "b", "c", "trio", "orange", "pearl white", "khaki"],
            "color": ["black", "blue", "red", "orange 1pcs", "pink", "green", "purple", "white"],
            "size": ["xs", "s", "m", "l", "xl", "xxl", "int:s", "int:m", "int:l", "int:xl", "int:5xl", "free size", "small", "medium", "large", "12 inch", "10 inch", "8 inch"],
            "shoe_size": ["36", "37", "38", "39", "40", "41", "42", "43", "44", "eu:39", "eu:40", "eu:41", "eu:42"],
            "variation": ["standard", "official standard", "style 1", "style 2", "set a", "set b", "1pc", "2pcs", "with box", "without box", "basic", "upgrade"],
            "variation1": ["silver", "black", "gold", "blue"],
            "variation3": ["style 1", "style 2", "style 3"],
            "quantity": ["1pc", "2pcs", "3pcs", "5pcs", "10pcs", "10pcs/set", "20pcs", "50pcs", "1 box"],
            "storage_capacity": ["32gb", "64gb", "128gb", "256gb", "512gb", "1tb"],
            "capacity": ["1l", "1.5l", "2l", "3l", "4.5l", "5l", "6l"],
            "volume": ["30ml", "50ml", "100ml", "150ml", "200ml", "500ml", "1000ml"],
            "wattage": ["10w", "20w", "30w", "50w", "100w", "200w"],
            "diaper_size": ["newborn", "small", "medium", "large", "xl", "xxl"],
            "compatibility_by_model": ["oppo a16", "oppo a5s", "iphone 11", "iphone 13", "iphone 15 pro max", "samsung a14", "vivo y21", "realme c55", "redmi note 12", "infinix hot 30"],
            "brand": ["xiaomi", "samsung", "generic", "baseus", "realme", "kracie", "babypro", "bincoo", "nubia", "hosport", "lancol", "bremod", "korea", "nivea", "deli"],
            "model": ["a1", "a2", "x100", "pro", "lite", "plus", "max", "s1", "v2", "2024", "gen 2", "mini"],
            "operating_system": ["android", "ios", "windows", "harmonyos", "not applicable"],
            "ram_memory": ["2gb", "3gb", "4gb", "6gb", "8gb", "12gb", "16gb"],
            "battery_capacity": ["3000 mah", "4000 mah", "5000 mah", "6000 mah"],
            "camera_back": ["13 mp", "48 mp", "50 mp", "64 mp", "108 mp"],
            "camera_front": ["5 mp", "8 mp", "16 mp", "32 mp"],
            "screen_type": ["lcd", "oled", "amoled", "ips"],
            "phone_features": ["gps", "nfc", "dual sim", "fingerprint sensor", "5g"],
            "display_size_mobile": ["6.5 inches", "6.7 inches", "10.1 inches", "11 inches", "1.5k"],
            "resolution": ["720p", "1080p", "2k", "4k", "1.5k"],
            "case_function": ["shockproof", "built-in stand", "card holder", "waterproof", "magnetic"],
            "material": ["plastic", "silicone", "leather", "stainless steel", "cotton", "polyester", "wood", "brass chrome", "rubber", "aluminum", "canvas", "nylon", "pu leather", "glass"],
            "material_type": ["plastic", "wood", "metal", "silicone"],
            "fa_pattern": ["plain", "cartoon", "floral", "striped", "plaid", "printed", "letter"],
            "pattern": ["plain", "plaid", "striped", "geometric"],
            "fa_general_styles": ["cartoon", "korean", "casual", "vintage", "minimalist"],
            "main_stone": ["no stones", "crystal", "zircon", "pearl"],
            "plug_type": ["type c", "micro usb", "lightning", "3.5mm", "usb a"],
            "input_voltage": ["5v", "12v", "24v", "110-240v", "220v"],
            "cable_length": ["1m", "1.5m", "2m", "3m"],
            "connectivity": ["bluetooth", "wireless", "wired", "usb", "wifi"],
            "headphone_driver_type": ["dynamic", "balanced armature", "hybrid"],
            "power_source": ["battery", "rechargeable", "electric", "solar", "usb"],
            "power_consumption": ["1-500", "501-1000", "1001-1500", "1501-2000"],
            "watch_features": ["heart rate monitor", "sleep tracker", "waterproof", "gps", "bluetooth call"],
            "warranty_type": ["no warranty", "local supplier warranty", "local manufacturer warranty", "international manufacturer warranty"],
            "skin_type": ["all skin types", "oily", "dry", "sensitive", "combination", "normal"],
            "units_hb": ["single item", "bundle", "set", "2 pcs", "value pack"],
            "product_form": ["cream", "gel", "liquid", "lotion", "spray", "stick"],
            "ingredient_preference": ["aloe vera", "hyaluronic acid", "niacinamide", "vitamin c", "collagen"],
            "travel_size": ["regular size", "travel size"],
            "concerns_hair_care": ["color protection", "dandruff", "hair fall", "dry hair", "frizz"],
            "formulation_hair_color": ["cream", "liquid", "powder"],
            "brand_classification": ["mass", "premium", "luxury"],
            "nursery_material_type": ["silicone", "plastic", "stainless steel", "bamboo"],
            "recommended_age": ["0-6 months", "6-12 months", "1-3 years", "3-6 years", "6-12 years", "14 years & up"],
            "packaging_type": ["bag", "bottle", "box", "pouch", "sachet", "can", "jar"],
            "pack_type": ["single", "multipack", "bundle"],
            "dietary_needs": ["healthier choice", "sugar free", "halal", "organic", "vegan", "no preference"],
            "towel_fabric": ["egyptian-quality cotton", "cotton", "microfiber", "bamboo"],
            "towel_size": ["face towel", "hand towel", "bath towel"],
            "patterned": ["patterned", "plain"],
            "assembly_required": ["yes", "no"],
            "light_bulb_colour": ["daylight", "warm white", "cool white", "rgb"],
            "light_bulb_type": ["led", "halogen", "cfl", "incandescent"],
            "light_effects": ["dimmable", "non-dimmable", "color changing"],
            "clothing_material": ["cotton", "polyester", "lace", "linen", "spandex", "denim", "chiffon"],
            "dress_length": ["mini", "midi", "maxi", "knee length"],
            "occasion": ["casual", "party", "office", "beach", "sports"],
            "top_fit_type": ["regular", "loose", "slim", "oversized"],
            "pants_fit_type": ["loose", "regular", "slim", "straight"],
            "shoes_material": ["canvas", "mesh", "leather", "rubber", "pu"],
            "bag_size": ["small", "medium", "large"],
            "sport_features": ["waterproof", "lightweight", "breathable", "non-slip", "quick dry"],
            "racquet_stringing": ["strung", "unstrung"],
            "lures_size": ["60mm", "90mm", "120mm", "150mm"],
            "fishing_type": ["saltwater", "freshwater", "deep sea"],
            "fitment_type": ["direct fit", "universal fit"],
            "pet_type": ["dog", "cat", "dog & cat"],
            "language": ["english", "filipino", "tagalog", "bilingual"],
            "type_of_inks": ["oil-based", "water-based", "wax"],
            "stationery_line_point": ["0.5mm", "0.7mm", "1.0mm", "0.38mm"],
            "stationery_pen_type": ["ball pens", "gel pens", "fountain pens", "markers"],
            "calculator_power_source": ["battery", "solar", "dual power"],
            "calculator_type": ["basic", "scientific", "financial"],
            "cookware_material": ["plastic", "stainless steel", "cast iron", "aluminum", "silicone", "ceramic"],
            "component_type": ["dispensers", "holders", "racks", "lids"],
            "coffee_accessory_type": ["coffee filters", "brushes", "tampers", "frothers"],
            "eyewear_shape": ["round", "square", "aviator", "cat eye", "oversized"],
        ]
    }
}

extension String {
    /// Splits on a one-character separator, keeping empty pieces (Foundation-free `components`).
    func pieces(_ separator: Character) -> [String] {
        split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }

    /// The text with underscores shown as spaces ("color_family" → "color family").
    var spaced: String { String(map { $0 == "_" ? " " : $0 }) }
}
